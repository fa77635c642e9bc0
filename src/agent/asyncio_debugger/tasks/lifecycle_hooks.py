"""The "lifecycle" level: only task creation and completion, no per-step hooks.

`create_task` (BaseEventLoop, uvloop.Loop) records CREATE as at the "steps" level and adds a done
callback that records DONE (and calls the done listeners) when the task finishes; an eager task
(3.12+ eager_task_factory) that finished inside `create_task` gets its DONE there. `_call_soon`,
uvloop's `call_soon` and `create_future` stay as they were: no STEP, FUTURE or CANCEL records, and
tasks built as `Task(...)` without `create_task` are not seen. The records keep the layouts of
codes.py, so every reader takes them as they are.
"""

from . import codes, hooks, probe
from .hooks import _TASK_TYPES, _Task, _current_task, _emit_create, _getframe, _now, _record_done

_TG_CREATE = hooks._TG_CREATE
_CREATE_TASK = hooks._CREATE_TASK
_EAGER = probe.HAS_EAGER


def _task_done(task):
    """The done callback every tracked task carries (runs on the loop, after the task finished)."""
    _record_done(task, _now())


def make_create_task(original, factory_attribute=True, inline=False):
    """inline: `original` is BaseEventLoop.create_task (see hooks.make_create_task)."""

    def create_task(self, coro, **kwargs):
        t0 = _now()
        parent = _current_task(self)
        if inline and (self._task_factory if factory_attribute else None) is None:
            self._check_closed()
            task = _Task(coro, loop=self, **kwargs)
        else:
            task = original(self, coro, **kwargs)
        if type(task) not in _TASK_TYPES and not isinstance(task, _Task):
            return task  # a factory may return any Task-like object
        caller = _getframe(1)
        group = 0
        name = kwargs.get("name")
        if caller.f_code is _TG_CREATE:
            local = caller.f_locals
            group = id(local["self"])
            name = local.get("name")
        flags = 0
        if _EAGER and (
            task.done() or task._fut_waiter is not None or probe.coroutine_suspended(coro)
        ):
            flags = codes.FLAG_EAGER  # its first step ran inside create_task
        if flags and name is None and caller.f_code is _CREATE_TASK:
            # asyncio.create_task names the task after loop.create_task returns.
            name = caller.f_locals.get("name")
        _emit_create(task, coro, self, parent, caller, group, flags, t0, name)
        if task.done():
            _record_done(task, _now())
        else:
            task.add_done_callback(_task_done)
        tb = task._source_traceback
        if tb and tb[-1].filename == __file__:
            del tb[-1]
        return task

    create_task.__wrapped__ = original
    create_task.__doc__ = original.__doc__
    return create_task

