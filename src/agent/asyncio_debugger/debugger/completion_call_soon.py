"""The `call_soon` replacements that let completion breakpoints see a future complete (see
completion.py): per loop instance while a breakpoint is armed on it, and on BaseEventLoop itself
while completion patterns are set (completion_patterns.py)."""

import sys
from asyncio import base_events

from asyncio_debugger.after_import import AfterImport

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


# uvloop ----------------------------------------------------------------------------------------
# uvloop.Loop looks call_soon up on its class (a Python subclass of the Cython loop). While
# completion patterns are set, that class attribute is wrapped too, when uvloop is imported (now,
# or later through a meta-path finder, as the task tracker does). The task tracker wraps the same
# attribute and hands task steps to the loop as `_uv_step(callback, meta, args)`; whichever wrapper
# is outside, the check sees the real callback. A loop with an instance override (a data breakpoint
# armed on it) is checked there already.

_uvloop_saved = []  # (cls, original, wrapper)
_finder = [None]


def _uvloop_call_soon(original):
    from asyncio_debugger.tasks.uvloop_hooks import _uv_step

    def call_soon(self, callback, *args, context=None):
        completion = class_completion[0]
        if completion is not None and "call_soon" not in self.__dict__:
            if callback is _uv_step and len(args) == 3:
                completion.scheduled(args[0], args[2], _getframe(1))
            else:
                completion.scheduled(callback, args, _getframe(1))
        return original(self, callback, *args, context=context)

    call_soon.__wrapped__ = original
    return call_soon


def _patch_uvloop(module):
    cls = getattr(module, "Loop", None)
    if cls is None or any(saved[0] is cls for saved in _uvloop_saved):
        return
    original = cls.__dict__.get("call_soon")
    wrapper = _uvloop_call_soon(cls.call_soon)
    cls.call_soon = wrapper
    _uvloop_saved.append((cls, original, wrapper))


def uvloop_watched(loop):
    return any(isinstance(loop, saved[0]) for saved in _uvloop_saved)


def watch_uvloop():
    module = sys.modules.get("uvloop")
    if module is not None:
        _patch_uvloop(module)
    elif _finder[0] is None:
        _finder[0] = AfterImport("uvloop", _patch_uvloop).install()


def unwatch_uvloop():
    if _finder[0] is not None:
        _finder[0].remove()
        _finder[0] = None
    while _uvloop_saved:
        cls, original, wrapper = _uvloop_saved.pop()
        current = cls.__dict__.get("call_soon")
        if current is wrapper:
            if original is None:
                delattr(cls, "call_soon")
            else:
                cls.call_soon = original
        # Else someone wrapped ours (the task tracker): ours stays in their chain, inert while
        # class_completion is None, until they restore the class.
