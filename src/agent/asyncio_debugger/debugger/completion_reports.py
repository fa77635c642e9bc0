"""The exception filter `taskNeverRetrieved`: stop where asyncio reports "Task exception was never
retrieved" (a failed task was garbage collected before anything looked at its exception).

asyncio reports it from the task's finalizer through `loop.call_exception_handler(context)`.
While the filter is on, that method is wrapped on the loop classes (asyncio's BaseEventLoop and,
once imported, uvloop's Loop), around whatever is there (the task tracker's wrapper included);
the stop shows the frames running when the task was collected, the report's caller on top. The
wrapper is removed when the filter goes off, unless someone replaced it meanwhile.
"""

import sys
from asyncio import base_events

from asyncio_debugger.debugger.frames import frames_from
from asyncio_debugger.debugger.safe_repr import short_name

FILTER = "taskNeverRetrieved"
_MESSAGES = ("Task exception was never retrieved", "Future exception was never retrieved")


class NeverRetrieved:
    def __init__(self, session):
        self.session = session
        self.saved = []  # (cls, had own attribute, original, wrapper)

    def changed(self):
        wanted = FILTER in self.session.exceptions.filters
        if wanted and not self.saved:
            self._wrap()
        elif not wanted and self.saved:
            self.unwrap()

    def _wrap(self):
        classes = [base_events.BaseEventLoop]
        uvloop = sys.modules.get("uvloop")
        if uvloop is not None and isinstance(getattr(uvloop, "Loop", None), type):
            classes.append(uvloop.Loop)
        for cls in classes:
            original = cls.call_exception_handler
            wrapper = self._wrapper(original)
            own = "call_exception_handler" in cls.__dict__
            try:
                cls.call_exception_handler = wrapper
            except (AttributeError, TypeError):
                continue
            self.saved.append((cls, own, original, wrapper))

    def unwrap(self):
        while self.saved:
            cls, own, original, wrapper = self.saved.pop()
            if cls.__dict__.get("call_exception_handler") is not wrapper:
                continue  # replaced since (the tracker uninstalled its hooks): leave it
            if own:
                cls.call_exception_handler = original
            else:
                delattr(cls, "call_exception_handler")

    def _wrapper(self, original):
        report = self.report

        def call_exception_handler(loop, context):
            if context.get("message") in _MESSAGES:
                report(context, sys._getframe(1))
            return original(loop, context)

        call_exception_handler.__wrapped__ = original
        return call_exception_handler

    def report(self, context, frame):
        session = self.session
        if FILTER not in session.exceptions.filters:
            return
        try:
            exc = context.get("exception")
            fut = context.get("task") or context.get("future")
            get_name = getattr(fut, "get_name", None)
            what = "Task %s" % short_name(get_name()) if get_name is not None else "Future"
            text = "%s exception was never retrieved" % what
            if exc is not None:
                detail = short_name(str(exc), 300)
                text += ": %s%s" % (type(exc).__qualname__, ": " + detail if detail else "")
            stack = frames_from(frame)
            if stack and not session.exceptions._condition(FILTER, stack[0][0], exc):
                return
            session.stop(None, "exception", description=text, text=text, exc=exc, break_mode="unhandled", stack=stack)
        except Exception as e:
            session.internal_error("never retrieved filter", e)
        finally:
            context = exc = fut = frame = stack = None  # noqa: F841
