"""The exception filters `taskException` (an exception finishes a task) and `taskCancelled`
(a task is cancelled).

Both ride on the task tracker's hooks, the one place every task completion passes on 3.10-3.13
(lazy and eager tasks, asyncio and uvloop loops): while a filter is on, listeners added here are
called by the tracker's `_record_done` (on the loop's thread right after the step that finished a
task) and `_note_cancel` (inside `call_soon` while `cancel()` wakes a waiting task, so the frame it
gets is the caller of `cancel()`). They need task tracking (`trackTasks`, on by default); with it
off the filters never stop. At the "lifecycle" level there is no cancel listener (it rides on the
step hooks): `taskCancelled` stops when the task finishes cancelled, in the loop's frame, and says so.

- `taskException` stops post-mortem with the traceback's frames (where the coroutine raised)
  above the loop's frames, before any awaiter or "never retrieved" report sees the exception.
- `taskCancelled` stops where `cancel()` was called when the task was waiting on something (the
  usual case); a task cancelled while it was ready to run stops when it finishes cancelled.
"""

import asyncio
import sys
import weakref

from asyncio_debugger.debugger.completion_targets import is_task
from asyncio_debugger.debugger.frames import frames_from, frames_from_traceback
from asyncio_debugger.debugger.safe_repr import short_name

TASK_EXCEPTION = "taskException"
TASK_CANCELLED = "taskCancelled"
_NOT_ERRORS = (KeyboardInterrupt, SystemExit, asyncio.CancelledError)


class TaskFilters:
    def __init__(self, session, describe):
        self.session = session
        self.describe = describe
        self.saved = []  # (module, name, original)
        self.cancel_reported = weakref.WeakSet()

    def changed(self):
        filters = self.session.exceptions.filters
        wanted = TASK_EXCEPTION in filters or TASK_CANCELLED in filters
        if wanted and not self.saved:
            self._wrap()
        elif not wanted and self.saved:
            self.unwrap()

    def _wrap(self):
        from asyncio_debugger.tasks import hooks

        hooks.add_done_listener(self.on_done)
        hooks.add_cancel_listener(self.on_cancel)
        self.saved.append(hooks)

    def unwrap(self):
        while self.saved:
            hooks = self.saved.pop()
            hooks.remove_done_listener(self.on_done)
            hooks.remove_cancel_listener(self.on_cancel)

    # On the loop's thread -----------------------------------------------------------------------

    def on_done(self, task):
        session = self.session
        filters = session.exceptions.filters
        try:
            if task.cancelled():
                if TASK_CANCELLED in filters and task not in self.cancel_reported:
                    text = "Task %s cancelled" % short_name(task.get_name())
                    if session.task_level == "lifecycle":
                        # The cancel listener needs the step hooks: this is where it finished.
                        text += ' (where cancel() was called needs "trackTasks": "steps")'
                    stack = frames_from(sys._getframe(2))
                    self._stop(text, asyncio.CancelledError(text), "always", stack, steppable=True)
                return
            exc = task._exception  # never task.exception(): that marks it retrieved
            if exc is None or TASK_EXCEPTION not in filters or isinstance(exc, _NOT_ERRORS):
                return
            if exc is session._last_reported:
                return
            stack = frames_from_traceback(exc.__traceback__) + frames_from(sys._getframe(2))
            if stack and not session.exceptions._condition(TASK_EXCEPTION, stack[0][0], exc):
                return
            session._last_reported = exc
            self._stop(self.describe(task, None, session.max_repr), exc, "userUnhandled", stack, steppable=False)
        except Exception as e:
            session.internal_error("task exception filter", e)
        finally:
            task = exc = stack = None  # noqa: F841

    def on_cancel(self, fut, frame, call_soon_frame):
        if TASK_CANCELLED not in self.session.exceptions.filters:
            return
        try:
            callback = call_soon_frame.f_locals.get("callback")
            task = getattr(callback, "__self__", None)
            if not is_task(task) or task in self.cancel_reported:
                return
            self.cancel_reported.add(task)
            current = asyncio.current_task(task.get_loop())
            text = "Task %s cancelled" % short_name(task.get_name())
            if current is not None and current is not task:
                text += " by Task %s" % short_name(current.get_name())
            self._stop(text, asyncio.CancelledError(text), "always", frames_from(frame), steppable=True)
        except Exception as e:
            self.session.internal_error("task cancelled filter", e)
        finally:
            task = callback = current = None  # noqa: F841

    def _stop(self, text, exc, mode, stack, steppable):
        self.session.stop(
            None,
            "exception",
            description=text,
            text=text,
            exc=exc,
            break_mode=mode,
            stack=stack,
            steppable=steppable,
        )
