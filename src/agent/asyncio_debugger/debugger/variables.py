"""Variable containers: scopes and structured children with paging, plus setVariable."""

import itertools

from asyncio_debugger.debugger.evaluate import commit_locals
from asyncio_debugger.debugger.safe_repr import ReprContext, safe_repr

_LEAF_TYPES = (int, float, complex, bool, str, bytes, bytearray, type(None), range)
_SEQUENCES = (list, tuple)
# Without paging from the client, never send more children than this in one response.
MAX_CHILDREN = 1000
_LITERAL_KEYS = (int, str, bytes, float, bool, type(None))


def _type_name(value):
    t = type(value)
    mod = getattr(t, "__module__", "builtins")
    return t.__qualname__ if mod == "builtins" else "%s.%s" % (mod, t.__qualname__)


def _attributes(obj):
    names = []
    try:
        d = object.__getattribute__(obj, "__dict__")
        if isinstance(d, dict) or hasattr(d, "keys"):
            names.extend((k, "dict") for k in list(d.keys()) if isinstance(k, str))
    except Exception:
        pass
    try:
        for klass in type(obj).__mro__:
            slots = klass.__dict__.get("__slots__", ())
            if isinstance(slots, str):
                slots = (slots,)
            for s in slots:
                if s not in ("__dict__", "__weakref__") and (s, "dict") not in names:
                    names.append((s, "slot"))
    except Exception:
        pass
    return names


def child_shape(value):
    """(has_children, indexed_count, named_count) used to advertise paging to the client."""
    if isinstance(value, _LEAF_TYPES):
        return False, None, None
    if isinstance(value, (dict, list, tuple, set, frozenset)):
        try:
            n = len(value)
        except Exception:
            return False, None, None
        return n > 0, n, 1
    attrs = _attributes(value)
    return bool(attrs), None, len(attrs)


class Container:
    """One variablesReference: the object (or scope) whose children a `variables` request lists."""

    def __init__(self, kind, obj, eval_name=None, frame=None):
        self.kind = kind  # "locals" | "globals" | "value"
        self.obj = obj
        self.eval_name = eval_name
        self.frame = frame
        self.keys = {}  # child name -> dict key, for setVariable on dict items


class VariableStore:
    def __init__(self, allocate_id, max_len):
        self._allocate = allocate_id
        self.refs = {}
        self.max_len = max_len

    def add(self, container):
        ref = self._allocate()
        self.refs[ref] = container
        return ref

    def describe(self, name, value, eval_name, ctx, max_len=None):
        has, indexed, named = child_shape(value)
        body = {
            "name": name,
            "value": safe_repr(value, max_len or self.max_len, ctx),
            "type": _type_name(value),
            "variablesReference": 0,
        }
        if eval_name:
            body["evaluateName"] = eval_name
        if has:
            body["variablesReference"] = self.add(Container("value", value, eval_name))
            if indexed is not None and indexed > 0:
                body["indexedVariables"] = indexed
            if named:
                body["namedVariables"] = named
        return body

    def children(self, container, filter_=None, start=0, count=0):
        ctx = ReprContext(self.max_len)
        out = []
        kind, obj = container.kind, container.obj
        if kind in ("locals", "globals"):
            scope = obj
            names = list(scope.keys())
            if kind == "globals":
                names = [n for n in names if not (n.startswith("__") and n.endswith("__"))]
            for n in names[: MAX_CHILDREN * 10]:
                out.append(self.describe(n, scope[n], n, ctx))
            return out
        indexed = isinstance(obj, (dict, list, tuple, set, frozenset))
        if filter_ != "indexed":
            if indexed:
                out.append({"name": "len()", "value": str(len(obj)), "type": "int", "variablesReference": 0,
                            "presentationHint": {"kind": "virtual", "attributes": ["readOnly"]}})
            else:
                for name, _ in _attributes(obj)[:MAX_CHILDREN]:
                    try:
                        value = getattr(obj, name)
                    except Exception as e:
                        out.append({"name": name, "value": "<%s: %s>" % (type(e).__name__, e),
                                    "type": "", "variablesReference": 0})
                        continue
                    en = "%s.%s" % (container.eval_name, name) if container.eval_name else None
                    out.append(self.describe(name, value, en, ctx))
        if filter_ != "named" and indexed:
            start = start or 0
            stop = start + count if count else start + MAX_CHILDREN
            if isinstance(obj, dict):
                for key, value in itertools.islice(obj.items(), start, stop):
                    name = safe_repr(key, 200, ctx)
                    container.keys[name] = key
                    en = None
                    if container.eval_name and type(key) in _LITERAL_KEYS:
                        en = "%s[%r]" % (container.eval_name, key)
                    out.append(self.describe(name, value, en, ctx))
            elif isinstance(obj, _SEQUENCES):
                for i in range(start, min(stop, len(obj))):
                    en = "%s[%d]" % (container.eval_name, i) if container.eval_name else None
                    out.append(self.describe(str(i), obj[i], en, ctx))
            else:
                for i, value in enumerate(itertools.islice(obj, start, stop), start):
                    out.append(self.describe(str(i), value, None, ctx))
        return out

    def set(self, container, name, value):
        kind, obj = container.kind, container.obj
        if kind == "locals":
            obj[name] = value
            commit_locals(container.frame)
        elif kind == "globals":
            obj[name] = value
        elif isinstance(obj, dict):
            key = container.keys.get(name, name)
            obj[key] = value
        elif isinstance(obj, list):
            obj[int(name)] = value
        else:
            setattr(obj, name, value)
