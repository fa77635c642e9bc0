"""Python 3.12+: hooks through sys.monitoring (PEP 669) under our own tool id.

A breakpoint that is never hit costs nothing measurable: PY_START/PY_RESUME fire once per code
object and are DISABLEd; LINE is enabled only on code objects from files with breakpoints and is
DISABLEd again on their lines without one. Stepping and pausing turn LINE on globally until the
step ends; `raised`/`userUnhandled` enable RAISE/PY_UNWIND only while those filters are on.
"""

import _thread
import sys
import weakref

from asyncio_debugger.channel import AGENT_THREADS
from asyncio_debugger.debugger.breakpoints import hit_line
from asyncio_debugger.debugger.paths import is_agent_file, normalize

mon = sys.monitoring
E = mon.events
DISABLE = mon.DISABLE
TOOL_NAME = "asyncio-debugger"
# 0 is debugpy's (DEBUGGER_ID), 5 and 4 are left to the task tracker.
_TOOL_CANDIDATES = (3, 4, 2, 1)
_STEP_EVENTS = E.LINE | E.PY_START | E.PY_RESUME | E.PY_RETURN | E.PY_YIELD | E.PY_UNWIND


class MonitoringBackend:
    def __init__(self, session):
        self.session = session
        self.tool = None
        self._local_codes = weakref.WeakSet()
        self._hot = False

    def install(self):
        for tool in _TOOL_CANDIDATES:
            if mon.get_tool(tool) is None:
                try:
                    mon.use_tool_id(tool, TOOL_NAME)
                except ValueError:
                    continue
                self.tool = tool
                break
        if self.tool is None:
            self.session.output("Every sys.monitoring tool id is taken; breakpoints will not work.", "important")
            return
        t = self.tool
        reg = mon.register_callback
        reg(t, E.PY_START, self._on_start)
        reg(t, E.PY_RESUME, self._on_resume)
        reg(t, E.LINE, self._on_line)
        reg(t, E.PY_RETURN, self._on_return)
        reg(t, E.PY_YIELD, self._on_yield)
        reg(t, E.PY_UNWIND, self._on_unwind)
        reg(t, E.RAISE, self._on_raise)
        self.breakpoints_changed()

    def uninstall(self):
        t = self.tool
        if t is None:
            return
        self.tool = None
        try:
            mon.set_events(t, 0)
            for code in list(self._local_codes):
                mon.set_local_events(t, code, 0)
            for event in (E.PY_START, E.PY_RESUME, E.LINE, E.PY_RETURN, E.PY_YIELD, E.PY_UNWIND, E.RAISE):
                mon.register_callback(t, event, None)
            mon.free_tool_id(t)
        except Exception as e:
            self.session.internal_error("monitoring uninstall", e)

    # Configuration -----------------------------------------------------------------------------

    def _global_events(self):
        s = self.session
        events = 0
        if s.breakpoints.by_file:
            events |= E.PY_START | E.PY_RESUME
        if s.function_breakpoints.by_name:
            events |= E.PY_START
        if s.exceptions.raised:
            events |= E.RAISE
        if s.exceptions.user_unhandled:
            events |= E.PY_UNWIND
        if self._hot:
            events |= _STEP_EVENTS
        return events

    def breakpoints_changed(self):
        t = self.tool
        if t is None:
            return
        files = self.session.breakpoints.by_file
        for code in list(self._local_codes):
            if normalize(code.co_filename) not in files:
                mon.set_local_events(t, code, 0)
                self._local_codes.discard(code)
        # Code already running (a module's top-level loop, a coroutine in the middle of a line)
        # never fires PY_START again: arm it directly.
        try:
            current = sys._current_frames()
        except Exception:
            current = {}
        for ident, frame in current.items():
            if ident in AGENT_THREADS:
                continue
            while frame is not None:
                self._arm(frame.f_code, files)
                frame = frame.f_back
        mon.set_events(t, self._global_events())
        mon.restart_events()

    def _arm(self, code, files):
        if normalize(code.co_filename) in files:
            mon.set_local_events(self.tool, code, E.LINE)
            self._local_codes.add(code)
            return True
        return False

    def exceptions_changed(self):
        if self.tool is not None:
            mon.set_events(self.tool, self._global_events())

    def steps_changed(self):
        hot = bool(self.session.stepper.steps)
        if hot == self._hot or self.tool is None:
            return
        self._hot = hot
        mon.set_events(self.tool, self._global_events())
        if hot:
            # Locations DISABLEd while cold must report again for the step to see them.
            mon.restart_events()

    def step_started(self, ident, frame):
        pass

    def request_pause(self, ident):
        pass

    # Callbacks (run on the user's threads; must be cheap and never raise) -----------------------

    def _quiet(self):
        ident = _thread.get_ident()
        return ident in self.session.busy or ident in AGENT_THREADS

    def _on_start(self, code, offset):
        armed = self._arm(code, self.session.breakpoints.by_file)
        fbps = self.session.function_breakpoints.by_name
        if fbps and code.co_name in fbps:
            # Keep reporting this code object: its next call may match (condition, hit count).
            if not self._quiet():
                try:
                    self.session.on_function_start(sys._getframe(1))
                except Exception as e:
                    self.session.internal_error("function breakpoint", e)
            return None
        if armed or not self._hot:
            return DISABLE
        return None

    def _on_resume(self, code, offset):
        if not self._hot:
            self._arm(code, self.session.breakpoints.by_file)
            return DISABLE
        if self._quiet():
            return None
        self.session.stepper.on_resume(_thread.get_ident(), sys._getframe(1))
        return None

    def _on_line(self, code, line):
        table = self.session.breakpoints.by_file.get(normalize(code.co_filename))
        bp = table.get(line) if table else None
        if bp is None and not self._hot:
            return DISABLE
        if self._quiet():
            return DISABLE if is_agent_file(code.co_filename) else None
        frame = sys._getframe(1)
        try:
            if bp is not None:
                hit_line(self.session, frame, bp, line)
            elif self._hot:
                self.session.on_step_line(frame, line)
        except Exception as e:
            self.session.internal_error("line callback", e)
        return None

    def _on_return(self, code, offset, retval):
        if not self._hot:
            return DISABLE
        if not self._quiet():
            self.session.stepper.on_return(_thread.get_ident(), sys._getframe(1))
        return None

    def _on_yield(self, code, offset, retval):
        return None if self._hot else DISABLE

    def _on_unwind(self, code, offset, exc):
        if self._quiet():
            return None
        frame = sys._getframe(1)
        try:
            if self.session.exceptions.user_unhandled:
                self.session.on_unwind(frame, exc)
            if self._hot:
                self.session.stepper.on_return(_thread.get_ident(), frame)
        except Exception as e:
            self.session.internal_error("unwind callback", e)
        return None

    def _on_raise(self, code, offset, exc):
        if not self.session.exceptions.raised or self._quiet():
            return None
        tb = exc.__traceback__
        if tb is not None and tb.tb_next is not None:
            # RAISE is reported again in every frame the exception propagates into; only the
            # frame that raised it counts (its traceback then holds just that frame).
            return None
        try:
            self.session.on_raise(sys._getframe(1), exc)
        except Exception as e:
            self.session.internal_error("raise callback", e)
        return None
