"""Python 3.10/3.11: hooks through sys.settrace (+ threading.settrace for new threads); the
rewriting backend (`rewrite_backend.py`) builds on it and installs it only while needed.

The global trace function only hands out a local tracer for code from files with breakpoints,
or while stepping/pausing or an exception filter needs user frames; everything else runs
untraced after the call event. Decisions are cached per filename so the call event stays cheap.
"""

import _thread
import dis
import sys
import threading

from asyncio_debugger.channel import AGENT_THREADS
from asyncio_debugger.debugger.breakpoints import hit_line
from asyncio_debugger.debugger.paths import is_agent_file, is_library_file, normalize

_RETURN_OPS = {dis.opmap[name] for name in ("RETURN_VALUE",) if name in dis.opmap}
_YIELD_OPS = {dis.opmap[name] for name in ("YIELD_VALUE", "YIELD_FROM") if name in dis.opmap}
# 3.10's YIELD_FROM rewinds f_lasti to the instruction before it so it re-runs on resumption.
_YIELD_FROM = dis.opmap.get("YIELD_FROM")
_GENERATOR_FLAGS = 0x20 | 0x80 | 0x100 | 0x200  # GENERATOR, COROUTINE, ITERABLE_COROUTINE, ASYNC_GENERATOR


def _is_yield(frame):
    """True if a 'return' trace event is a suspension (yield/await), not the frame finishing."""
    if not frame.f_code.co_flags & _GENERATOR_FLAGS:
        return False
    code, i = frame.f_code.co_code, frame.f_lasti
    if i < 0 or i >= len(code):
        return False
    if code[i] in _YIELD_OPS:
        return True
    return _YIELD_FROM is not None and i + 2 < len(code) and code[i + 2] == _YIELD_FROM


_RESUME = dis.opmap.get("RESUME")


def _is_first_entry(frame):
    """A 'call' event that starts the frame, not one resuming a suspended coroutine."""
    i = frame.f_lasti
    if i < 0:
        return True  # 3.10
    if _RESUME is None:
        return False
    code = frame.f_code.co_code
    # 3.11: the call event sits on RESUME; its oparg is 0 at the start, non-zero after a yield.
    return i + 1 < len(code) and code[i] == _RESUME and code[i + 1] == 0


def _left_by_exception(frame):
    code, i = frame.f_code.co_code, frame.f_lasti
    if i < 0 or i >= len(code):
        return False
    return code[i] not in _RETURN_OPS and not _is_yield(frame)


class SettraceBackend:
    def __init__(self, session):
        self.session = session
        self._traced_files = {}  # co_filename -> bool (has breakpoints)
        self._tables = {}  # co_filename -> {line: Breakpoint}
        self._trace_user = False  # every user frame needs a local tracer (step/pause/filters)
        self._enabled = False
        self._function_names = {}
        self._pending_exc = {}  # id(frame) -> exception seen in that frame (userUnhandled)
        # co_filename -> what the call event returns, valid while only line breakpoints are set.
        # Mutated in place: the installed trace function holds it.
        self._fast = {}
        self._fast_ok = False
        self._generation = 0
        # id(code) -> (code, lines): lines where rewritten code calls the breakpoint hook itself.
        self._hook_lines = {}
        self._global = self._make_global()

    def _make_global(self):
        # The call event runs for every Python call in the program: keep it to one dict lookup.
        get = self._fast.get
        slow = self._global_slow

        def trace(frame, event, arg):
            r = get(frame.f_code.co_filename, slow)
            if r is slow:
                return slow(frame)
            return r

        return trace

    def install(self):
        self._enabled = True
        self._recompute()
        threading.settrace(self._global)
        sys.settrace(self._global)

    def uninstall(self):
        self._enabled = False
        self._fast_ok = False
        self._generation += 1
        self._fast.clear()
        self._tables = {}
        self._traced_files = {}
        threading.settrace(None)
        # Each thread drops the global tracer itself the next time it calls it (settrace is
        # per-thread); frames that hold our local tracer drop it on their next event.

    def _recompute(self):
        s = self.session
        self._trace_user = bool(s.stepper.steps) or s.exceptions.raised or s.exceptions.user_unhandled
        self._traced_files = {}
        self._function_names = s.function_breakpoints.by_name
        files = s.breakpoints.by_file
        self._tables = {}
        self._norm_tables = files
        self._generation += 1
        self._fast_ok = self._enabled and not self._trace_user and not self._function_names
        self._fast.clear()

    def breakpoints_changed(self):
        self._recompute()
        # Frames already running in breakpoint files (a top-level loop) need a local tracer now.
        files = self.session.breakpoints.by_file
        try:
            current = sys._current_frames()
        except Exception:
            return
        for ident, frame in current.items():
            if ident in AGENT_THREADS:
                continue
            while frame is not None:
                if normalize(frame.f_code.co_filename) in files and frame.f_trace is None:
                    frame.f_trace = self._local
                frame = frame.f_back

    def exceptions_changed(self):
        self._recompute()

    def steps_changed(self):
        self._recompute()

    def step_started(self, ident, frame):
        # The stepping frame and its callers were maybe entered untraced (e.g. a stop from
        # `breakpoint()`): give them the local tracer so line/return events reach the stepper.
        while frame is not None:
            if not is_agent_file(frame.f_code.co_filename):
                frame.f_trace = self._local
            frame = frame.f_back

    def request_pause(self, ident):
        frame = sys._current_frames().get(ident)
        self.step_started(ident, frame)

    def _table(self, filename):
        table = self._tables.get(filename)
        if table is None:
            table = self._tables[filename] = self._norm_tables.get(normalize(filename)) or {}
        return table

    # Trace functions -------------------------------------------------------------------------

    def _global_slow(self, frame):
        generation = self._generation
        result = self._decide(frame)
        if self._fast_ok and generation == self._generation:
            self._fast[frame.f_code.co_filename] = result
        return result

    def _decide(self, frame):
        if not self._enabled or self._drop_here():
            sys.settrace(None)
            return None
        if self._function_names and frame.f_code.co_name in self._function_names and _is_first_entry(frame):
            ident = _thread.get_ident()
            if ident not in self.session.busy and ident not in AGENT_THREADS:
                if self.session.on_function_start(frame) and frame.f_trace is not None:
                    # A step began at this stop: what we return here replaces frame.f_trace.
                    return frame.f_trace
        filename = frame.f_code.co_filename
        traced = self._traced_files.get(filename)
        if traced is None:
            traced = self._traced_files[filename] = bool(self._table(filename))
        if traced:
            if self._trace_user:
                self._on_call(frame)
            return self._local
        if self._trace_user and not is_agent_file(filename):
            ident = _thread.get_ident()
            if ident in AGENT_THREADS:
                return None
            if self.session.just_my_code and is_library_file(filename):
                return None
            self._on_call(frame)
            return self._local
        return None

    def _drop_here(self):
        """True if this thread should stop tracing now (the rewriting backend decides)."""
        return False

    def _on_call(self, frame):
        # A 'call' event on a coroutine frame that already ran is a resumption.
        if frame.f_code.co_flags & _GENERATOR_FLAGS and not _is_first_entry(frame):
            self.session.stepper.on_resume(_thread.get_ident(), frame)

    def _local(self, frame, event, arg):
        if not self._enabled:
            return None
        ident = _thread.get_ident()
        if ident in self.session.busy or ident in AGENT_THREADS:
            return self._local
        try:
            if event == "line":
                table = self._table(frame.f_code.co_filename)
                bp = table.get(frame.f_lineno) if table else None
                if bp is not None:
                    hooked = self._hook_lines.get(id(frame.f_code)) if self._hook_lines else None
                    if hooked is not None and frame.f_lineno in hooked[1]:
                        return self._local  # the hook call that starts this line stops (and steps) there
                    hit_line(self.session, frame, bp, frame.f_lineno)
                elif self.session.stepper.steps:
                    self.session.on_step_line(frame, frame.f_lineno)
            elif event == "return":
                self._on_return_event(frame)
            elif event == "exception":
                self._on_exception_event(frame, arg)
        except Exception as e:
            self.session.internal_error("trace callback", e)
        return self._local

    def _on_return_event(self, frame):
        s = self.session
        pending = self._pending_exc.pop(id(frame), None)
        if _is_yield(frame):
            return
        if pending is not None and _left_by_exception(frame):
            s.on_unwind(frame, pending)
        if s.stepper.steps:
            s.stepper.on_return(_thread.get_ident(), frame)

    def _on_exception_event(self, frame, arg):
        s = self.session
        exc = arg[1]
        tb = arg[2]
        if s.exceptions.raised and tb is not None and tb.tb_next is None and tb.tb_frame is frame:
            s.on_raise(frame, exc)
        if s.exceptions.user_unhandled:
            self._pending_exc[id(frame)] = exc
