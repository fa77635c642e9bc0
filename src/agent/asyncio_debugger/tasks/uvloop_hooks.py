"""uvloop's side of the hooks: its loop ignores `_call_soon`, but C tasks and futures look
`loop.call_soon` up as an attribute, so an override on the Python `uvloop.Loop` class sees every
step. The step is wrapped in a function instead of a Handle subclass (uvloop's Handle is C)."""

from . import hooks
from .hooks import (
    _TASK_TYPES,
    _getframe,
    _key,
    _note_cancel,
    _now,
    _record_done,
    _suspended_lasti,
)

_STEP = hooks._STEP
# Assigned, not imported: CPython 3.12+ compiles `name.get(...)` on an imported name as an attribute
# load and a call (a bound method made on every call) instead of a method call.
_STEP_T = hooks._STEP_T
_WAKE_T = hooks._WAKE_T
_WAKE_NAME = hooks._WAKE_NAME
_MethodType = hooks._MethodType
_PY_STEP_FUNCS = hooks._PY_STEP_FUNCS


def _classify(callback, args):
    """0: not a task step; 1: a step; 2: a wakeup whose args[0] is the future that completed."""
    ct = type(callback)
    if ct is _STEP_T:
        return 1
    if ct is _WAKE_T:
        return 2 if args and callback.__name__ == _WAKE_NAME else 0
    if ct is _MethodType:
        kind = _PY_STEP_FUNCS.get(callback.__func__, 0)
        return kind if kind != 2 or args else 0
    return 0


def make_uvloop_call_soon(original):
    """uvloop ignores `_call_soon`; its `call_soon` is what C tasks and futures look up."""

    def call_soon(self, callback, *args, context=None):
        kind = _classify(callback, args)
        if kind == 0:
            return original(self, callback, *args, context=context)
        woke = by = by_lasti = 0
        if kind == 2:
            fut = args[0]
            woke = id(fut)
            frame = _getframe(1)
            by = _key(frame.f_code)
            by_lasti = frame.f_lasti
            if type(fut) not in _TASK_TYPES and fut.cancelled():
                _note_cancel(fut, frame)
        meta = (_now(), woke, by, by_lasti)
        return original(self, _uv_step, callback, meta, args, context=context)

    call_soon.__wrapped__ = original
    return call_soon


def _uv_step(callback, meta, args):
    task = callback.__self__
    t0 = _now()
    try:
        callback(*args)
    finally:
        t1 = _now()
        w = task._fut_waiter
        at, woke, by, by_lasti = meta
        wk = _key(type(w)) if w is not None else 0
        wid = id(w) if w is not None else 0
        done = w is None and task.done()
        wk = -1 if done else wk
        lasti = -1 if done else _suspended_lasti(task)
        hooks._buf.append((_STEP, t0, id(task), t1, at, woke, wid, wk, by, by_lasti, lasti))
        if done:
            _record_done(task, t1)
        callback = args = task = w = None  # noqa: F841
