"""What a data breakpoint request points at: a variable (container + name) or a name path in a
frame, looked up without running user code (no properties, no __getattr__), since it runs on the
request reader thread."""

import asyncio
from asyncio import futures, tasks

_FUTURE_TYPES = tuple({asyncio.Future, futures._PyFuture, asyncio.Task, tasks._PyTask})
_TASK_TYPES = tuple({asyncio.Task, tasks._PyTask})
_MISSING = object()


def is_future(value):
    """asyncio futures and tasks, C or Python (uvloop uses asyncio's)."""
    return isinstance(value, _FUTURE_TYPES)


def is_task(value):
    return isinstance(value, _TASK_TYPES)


def has_task_factory(loop):
    """Whether `loop` creates its tasks through a task factory (3.12+: maybe eagerly). asyncio's
    loops keep it in `_task_factory`; uvloop in a C field, readable only through get_task_factory()."""
    factory = getattr(loop, "_task_factory", _MISSING)
    if factory is _MISSING:
        try:
            factory = loop.get_task_factory()
        except Exception:
            return False
    return factory is not None


def resolve(session, args):
    name = args.get("name") or ""
    ref = args.get("variablesReference")
    if ref:
        st = session.owners.get(ref)
        container = st.vars.refs.get(ref) if st is not None else None
        if container is None:
            raise LookupError("The variable is no longer available (the thread has resumed).")
        return _child(container, name)
    frame_id = args.get("frameId")
    st = session.owners.get(frame_id) if frame_id else None
    entry = st.frame_ids.get(frame_id) if st is not None else None
    if entry is None:
        raise LookupError("Data breakpoints need a stopped frame.")
    return _path(entry[1], name)


def _child(container, name):
    obj = container.obj
    if container.kind in ("locals", "globals"):
        try:
            return obj[name]
        except KeyError:
            raise LookupError("No variable %s." % name)
    if isinstance(obj, dict):
        key = container.keys.get(name, name)
        value = dict.get(obj, key, _MISSING)
        if value is _MISSING:
            raise LookupError("No item %s." % name)
        return value
    if isinstance(obj, (list, tuple)):
        try:
            return obj[int(name)]
        except (ValueError, IndexError):
            raise LookupError("No item %s." % name)
    return static_attribute(obj, name)


def _path(frame, expression):
    parts = expression.strip().split(".")
    if not parts or not all(p.isidentifier() for p in parts):
        raise LookupError("Only a name or a dotted attribute path can break on completion.")
    head = parts[0]
    for scope in (frame.f_locals, frame.f_globals, frame.f_builtins):
        if head in scope:
            value = scope[head]
            break
    else:
        raise LookupError("No variable %s." % head)
    for part in parts[1:]:
        value = static_attribute(value, part)
    return value


def static_attribute(obj, name):
    try:
        d = object.__getattribute__(obj, "__dict__")
    except AttributeError:
        d = None
    if isinstance(d, dict) and name in d:
        return d[name]
    for klass in type(obj).__mro__:
        attr = klass.__dict__.get(name, _MISSING)
        if attr is _MISSING:
            continue
        if type(attr).__name__ in ("member_descriptor", "getset_descriptor"):
            try:
                return attr.__get__(obj, type(obj))
            except AttributeError:
                break
        raise LookupError("%s is computed (a property or method); use the variable that holds it." % name)
    raise LookupError("No attribute %s." % name)
