"""The hooks' rare paths: listeners, who cancelled a future, asyncio's own reports, the tasks
still pending at the end.

Imported by hooks.py only, at its end (their names stay importable from `tasks.hooks`). They read
and set hooks' module globals through the module: `_buf` and `_objs` are replaced by `take()`, and
the listener tuples are read as hooks globals on the hot path, which must not pay for this split.
"""

from asyncio import tasks

from . import codes, hooks


def add_done_listener(fn):
    """Call `fn(task)` on the loop's thread right after the step that finished `task` (or inside
    create_task for an eager task that finished there): `sys._getframe(2)` in `fn` is that frame.
    Exceptions from `fn` propagate into the loop: a listener catches its own."""
    if fn not in hooks._done_listeners:
        hooks._done_listeners = hooks._done_listeners + (fn,)


def remove_done_listener(fn):
    hooks._done_listeners = tuple(f for f in hooks._done_listeners if f != fn)


def add_cancel_listener(fn):
    """Call `fn(future, frame, call_soon_frame)` when a cancelled future wakes its task: `frame` is
    the caller of `cancel()` (the site), `call_soon_frame` the loop's `call_soon` frame, whose
    `callback` local is the woken task's wakeup (`callback.__self__` is the task)."""
    if fn not in hooks._cancel_listeners:
        hooks._cancel_listeners = hooks._cancel_listeners + (fn,)


def remove_cancel_listener(fn):
    hooks._cancel_listeners = tuple(f for f in hooks._cancel_listeners if f != fn)


def _stack(frame, depth=8):
    out = []
    while frame is not None and depth:
        out.append((frame.f_code, frame.f_lasti))
        frame = frame.f_back
        depth -= 1
    return tuple(out)


def _note_cancel(fut, frame):
    """A cancelled future woke its task: remember who called cancel() (and from which task).
    Called by the loop's call_soon (hooks._call_soon, uvloop_hooks), whose frame is the one above."""
    t = hooks._now()
    cur_task = hooks._current_task(fut.get_loop())
    # The direct caller of cancel() is the site even inside asyncio (Timeout._on_timeout,
    # TaskGroup._abort say more than the user line that started the loop); the stack has both.
    hooks._objs.append((codes.CANCEL_STACK, t, id(fut), _stack(frame, 12)))
    cur = id(cur_task) if cur_task is not None else 0
    hooks._buf.append((codes.CANCEL, t, id(fut), hooks._key(frame.f_code), frame.f_lasti, cur))
    listeners = hooks._cancel_listeners
    if listeners:
        call_soon_frame = hooks._getframe(1)
        for fn in listeners:
            fn(fut, frame, call_soon_frame)
        call_soon_frame = None


_REPORTS = {
    "Task exception was never retrieved": codes.REPORT_NEVER_RETRIEVED,
    "Task was destroyed but it is pending!": codes.REPORT_DESTROYED_PENDING,
    "Future exception was never retrieved": codes.REPORT_FUTURE_NEVER_RETRIEVED,
}


def make_call_exception_handler(original):
    def call_exception_handler(self, context):
        kind = _REPORTS.get(context.get("message"), 0)
        fut = context.get("future") or context.get("task")
        if kind and fut is not None:
            get_name = getattr(fut, "get_name", None)
            name = get_name() if get_name is not None else None
            hooks._buf.append((codes.REPORT, hooks._now(), id(fut), kind, name))
        return original(self, context)

    call_exception_handler.__wrapped__ = original
    call_exception_handler.__doc__ = original.__doc__
    return call_exception_handler


def note_live_tasks():
    """Record the names of tasks still pending (called when recording stops)."""
    t = hooks._now()
    for ref in list(hooks.loops.values()):
        loop = ref()
        if loop is None:
            continue
        try:
            pending = list(tasks.all_tasks(loop))
        except RuntimeError:
            continue
        for task in pending:
            hooks._buf.append((codes.LIVE, t, id(task), task.get_name()))
