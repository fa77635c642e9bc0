"""The `call_soon` replacements that let completion breakpoints see a future complete (see
completion.py): per loop instance while a breakpoint is armed on it, and on BaseEventLoop itself
while completion patterns are set (completion_patterns.py)."""

import sys
from asyncio import base_events

BASE_CALL_SOON = base_events.BaseEventLoop.call_soon

# The Completion that class_call_soon reports to while completion patterns are set.
class_completion = [None]
_getframe = sys._getframe


def class_call_soon(self, callback, *args, context=None):
    """BaseEventLoop.call_soon (same on 3.10-3.13) plus the marker check, set on the class while
    completion patterns are set (completion_patterns.py)."""
    completion = class_completion[0]
    if completion is not None:
        completion.scheduled(callback, args, _getframe(1))
    self._check_closed()
    if self._debug:
        self._check_thread()
        self._check_callback(callback, "call_soon")
    handle = self._call_soon(callback, args, context)
    if handle._source_traceback:
        del handle._source_traceback[-1]
    return handle


def asyncio_call_soon(loop, completion):
    """BaseEventLoop.call_soon (same on 3.10-3.13) plus the marker check, at the same depth."""
    getframe = sys._getframe

    def call_soon(callback, *args, context=None):
        completion.scheduled(callback, args, getframe(1))
        loop._check_closed()
        if loop._debug:
            loop._check_thread()
            loop._check_callback(callback, "call_soon")
        handle = loop._call_soon(callback, args, context)
        if handle._source_traceback:
            del handle._source_traceback[-1]
        return handle

    return call_soon


def wrapping_call_soon(loop, completion, previous):
    # uvloop or a loop class with its own call_soon: one extra frame (the task tracker then sees
    # this frame as the waker while a breakpoint is armed on this loop).
    getframe = sys._getframe

    def call_soon(callback, *args, context=None):
        completion.scheduled(callback, args, getframe(1))
        if previous is not None:
            return previous(callback, *args, context=context)
        # Looked up per call: the task tracker may patch or restore the class method meanwhile.
        return type(loop).call_soon(loop, callback, *args, context=context)

    return call_soon
