"""Exception filters: `raised`, `uncaught`, `userUnhandled`, with optional conditions."""

import asyncio

from asyncio_debugger.debugger.frames import is_runpy
from asyncio_debugger.debugger.paths import is_agent_file, is_library_file

# Raised as control flow, never errors a user wants to stop on.
_CONTROL_FLOW = (StopIteration, StopAsyncIteration, GeneratorExit)
# Leaving user code with these is how asyncio and the interpreter work, not a bug.
_NOT_UNHANDLED = _CONTROL_FLOW + (SystemExit, asyncio.CancelledError)


class ExceptionFilters:
    def __init__(self):
        self.filters = set()
        self.conditions = {}  # filter id -> compiled condition (names: `exception`, frame names)

    def set(self, filters, options):
        chosen = set(filters)
        conditions = {}
        for opt in options:
            fid = opt.get("filterId")
            if fid:
                chosen.add(fid)
                if opt.get("condition"):
                    try:
                        conditions[fid] = compile(opt["condition"], "<exception condition>", "eval")
                    except SyntaxError:
                        pass
        self.filters = chosen
        self.conditions = conditions

    @property
    def raised(self):
        return "raised" in self.filters

    @property
    def user_unhandled(self):
        return "userUnhandled" in self.filters

    def _condition(self, fid, frame, exc):
        code = self.conditions.get(fid)
        if code is None:
            return True
        scope = dict(frame.f_locals) if frame is not None else {}
        scope["exception"] = exc
        try:
            return bool(eval(code, frame.f_globals if frame is not None else {}, scope))
        except Exception:
            return True

    def should_stop_raised(self, frame, exc, just_my_code):
        if not self.raised or isinstance(exc, _CONTROL_FLOW):
            return False
        filename = frame.f_code.co_filename
        if is_agent_file(filename) or (just_my_code and is_library_file(filename)):
            return False
        return self._condition("raised", frame, exc)

    def should_stop_user_unhandled(self, frame, exc):
        """`exc` is leaving the user frame `frame`: stop if its caller is library code."""
        if not self.user_unhandled or isinstance(exc, _NOT_UNHANDLED):
            return False
        if is_library_file(frame.f_code.co_filename):
            return False
        caller = frame.f_back
        while caller is not None and is_agent_file(caller.f_code.co_filename):
            caller = caller.f_back
        if caller is not None and is_runpy(caller.f_code):
            # The program's top level: the `uncaught` filter owns that case.
            return False
        if caller is not None and not is_library_file(caller.f_code.co_filename):
            return False
        return self._condition("userUnhandled", frame, exc)
