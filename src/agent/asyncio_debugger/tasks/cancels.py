"""3.12+: who called `cancel()` on a task that was not waiting on anything (scheduled to run, or
not started yet).

Such a `cancel()` touches no future, so the loop hooks never see it. sys.monitoring's CALL event
does, kept cheap in two ways: it is enabled only in code objects that name `cancel` (each code
object is looked at once, at its first PY_START, whose location is then disabled), and within
those only at call sites that call a future's or task's `cancel` (any other site is disabled at
its first call). Older Pythons keep the canceller of a scheduled task unknown.
"""

import sys
import types
import weakref
from asyncio import tasks as _tasks

from . import codes, hooks

_mon = getattr(sys, "monitoring", None)
# The debugger's breakpoints take 3, 4, 2 or 1 (debugger/monitoring.py); 0 is debugpy's.
_TOOLS = (5, 4)
_TOOL_NAME = "asyncio-debugger tasks"

_C_CANCEL = _tasks.Task.cancel
_PY_CANCEL = getattr(getattr(_tasks, "_PyTask", None), "cancel", None)
# What a task's or future's cancel looks like at a call site (functions named cancel are others').
_CANCEL_TYPES = (types.BuiltinMethodType, types.MethodDescriptorType, types.MethodType)
_TASK_TYPES = hooks._TASK_TYPES
_Task = _tasks.Task

_tool = None
_armed = weakref.WeakSet()


def install():
    """Start watching; False when this Python has no sys.monitoring or no free tool id."""
    global _tool
    if _mon is None or _tool is not None:
        return False
    for tool in _TOOLS:
        if _mon.get_tool(tool) is None:
            try:
                _mon.use_tool_id(tool, _TOOL_NAME)
            except ValueError:
                continue
            _tool = tool
            break
    else:
        return False
    events_ = _mon.events
    _mon.register_callback(_tool, events_.PY_START, _on_start)
    _mon.register_callback(_tool, events_.CALL, _on_call)
    _mon.set_events(_tool, events_.PY_START)
    # Functions already running started before this: arm the ones on every thread's stack.
    for frame in sys._current_frames().values():
        while frame is not None:
            _on_start(frame.f_code, 0)
            frame = frame.f_back
    return True


def uninstall():
    global _tool
    tool = _tool
    if tool is None:
        return
    _tool = None
    try:
        _mon.set_events(tool, 0)
        for code in list(_armed):
            _mon.set_local_events(tool, code, 0)
        _armed.clear()
        _mon.register_callback(tool, _mon.events.PY_START, None)
        _mon.register_callback(tool, _mon.events.CALL, None)
        _mon.free_tool_id(tool)
    except Exception:  # noqa: BLE001 - never into the program
        pass


def _on_start(code, offset):
    tool = _tool
    if tool is not None and "cancel" in code.co_names and code not in _armed:
        try:
            _mon.set_local_events(tool, code, _mon.events.CALL)
            _armed.add(code)
        except (ValueError, TypeError):
            pass
    return _mon.DISABLE


def _on_call(code, offset, callable_, arg0):
    if callable_ is _C_CANCEL or callable_ is _PY_CANCEL:
        task = arg0  # task.cancel() (the method looked up on the class, the task as arg0)
    else:
        kind = type(callable_)
        if kind not in _CANCEL_TYPES or callable_.__name__ != "cancel":
            return _mon.DISABLE  # this site calls something else (a handle's cancel included)
        if kind is types.MethodDescriptorType:
            return None  # Future.cancel: the same site may cancel tasks later
        task = callable_.__self__  # a bound `task.cancel`
    try:
        if type(task) not in _TASK_TYPES and not isinstance(task, _Task):
            # A future's cancel(): the loop hooks see it when it wakes a task. A Python method
            # (Handle.cancel via super()) never is a task's.
            return _mon.DISABLE if type(callable_) is types.MethodType else None
        waiter = task._fut_waiter
        if task.done() or (waiter is not None and not waiter.done()):
            return None  # done already, or waiting: cancelling the awaited future tells the hooks
        frame = sys._getframe(1)
        t = hooks._now()
        current = hooks._current_task(task.get_loop())
        hooks._objs.append((codes.CANCEL_STACK, t, id(task), hooks._stack(frame, 12)))
        hooks._buf.append(
            (
                codes.CANCEL_TASK, t, id(task), hooks._key(code), offset,
                id(current) if current is not None else 0,
            )  # fmt: skip
        )
    except Exception:  # noqa: BLE001 - never into the program
        pass
    finally:
        task = frame = current = None  # noqa: F841
    return None
