"""Debugger state, the hooks, the stop entry point (a stopped thread serves requests until
resumed, then its step starts) and disconnect. Requests are answered by `session_requests.py`."""

import _thread
import itertools
import os
import sys
import threading

from asyncio_debugger.channel import AGENT_THREADS
from asyncio_debugger.debugger import stepping
from asyncio_debugger.debugger.await_eval import DEFAULT_TIMEOUT as DEFAULT_AWAIT_TIMEOUT
from asyncio_debugger.debugger.breakpoints import BreakpointTable, FunctionBreakpoints, hit as breakpoint_hit
from asyncio_debugger.debugger.completion import Completion
from asyncio_debugger.debugger.exceptions import ExceptionFilters
from asyncio_debugger.debugger.frames import frames_from, frames_from_traceback
from asyncio_debugger.debugger.safe_repr import DEFAULT_MAX
from asyncio_debugger.debugger.session_requests import SessionRequests
from asyncio_debugger.debugger.stopped import StoppedThread, evaluate, exception_info
from asyncio_debugger.debugger.task_threads import DEFAULT_MAX_TASK_THREADS
from asyncio_debugger.debugger.threads import ThreadIds
from asyncio_debugger.log import log

_STEP_ACTIONS = (stepping.OVER, stepping.INTO, stepping.OUT)


def make_backend(session):
    if sys.version_info >= (3, 12) and hasattr(sys, "monitoring"):
        from asyncio_debugger.debugger.monitoring import MonitoringBackend

        return MonitoringBackend(session)
    # 3.10/3.11: code rewriting with tracing only when needed, unless ASYNCIO_DEBUGGER_SETTRACE=1
    # asks for the always-on global trace function.
    if os.environ.get("ASYNCIO_DEBUGGER_SETTRACE") == "1":
        from asyncio_debugger.debugger.tracing import SettraceBackend

        return SettraceBackend(session)
    from asyncio_debugger.debugger.rewrite_backend import RewriteBackend

    return RewriteBackend(session)


class Session(SessionRequests):
    def __init__(self, channel):
        self.channel = channel
        self.just_my_code = True
        self.stop_on_entry = False
        self.max_repr = DEFAULT_MAX
        self.breakpoints = BreakpointTable()
        self.function_breakpoints = FunctionBreakpoints()
        self.exceptions = ExceptionFilters()
        self.stepper = stepping.Stepper()
        self.threads = ThreadIds()
        self.stopped = {}  # thread id -> StoppedThread
        self.busy = set()  # idents of threads currently stopped (their hooks must stay quiet)
        self.owners = {}  # frame id / variablesReference -> StoppedThread
        self._ids = itertools.count(1)
        self._lock = _thread.allocate_lock()
        self.configured = threading.Event()
        self.disconnected = False
        self._last_reported = None
        self._saved_hooks = None
        self._reported_errors = set()
        self.extra_handlers = {}  # command -> fn(session, arguments) -> body, for other agent parts
        # fn(stopped_thread) on the stopping thread before `stopped` is sent; fn() on disconnect.
        self.stop_listeners = []
        self.disconnect_listeners = []
        self.task_threads = None  # task_threads.TaskThreads once task tracking runs
        self.max_task_threads = DEFAULT_MAX_TASK_THREADS
        self.track_tasks = True
        # "steps" (every step: the timeline) or "lifecycle" (creation and completion only).
        self.task_level = "steps"
        # `await` in evaluate (await_eval.py): launch attributes awaitTimeout, awaitRunsOtherTasks, awaitInWatch.
        self.await_timeout = DEFAULT_AWAIT_TIMEOUT
        self.await_runs_other_tasks = False
        self.await_in_watch = False
        self.backend = make_backend(session=self)
        self.completion = Completion(self)  # breakOnCompletion, data breakpoints on futures
        self.completion_stop_at = "completer"  # or "awaiter": completion_awaiter.py
        self.step_stops = {}  # ident -> (Step, reason, description, hit ids): a step that ends as a breakpoint

    def allocate_id(self):
        return next(self._ids)

    def internal_error(self, where, exc):
        """An agent bug must not disturb the program: log it and tell the user once per place."""
        log(where, exc)
        if where not in self._reported_errors:
            self._reported_errors.add(where)
            self.output("Asyncio Debugger internal error (%s): %s: %s" % (where, type(exc).__name__, exc))

    def output(self, text, category="console"):
        if not text.endswith("\n"):
            text += "\n"
        self.channel.send_event("output", {"category": category, "output": text})

    def evaluate(self, frame, args, store):
        return evaluate(self, frame, args, store)

    # Hooks -------------------------------------------------------------------------------------

    def install(self):
        """Called on the main thread just before the program runs."""
        if self.disconnected:
            return  # the adapter left before configurationDone: run the program undebugged
        self._saved_hooks = (sys.breakpointhook, threading.excepthook)
        sys.breakpointhook = self._breakpointhook
        threading.excepthook = self._threading_excepthook
        self.backend.install()
        if self.stop_on_entry:
            self.stepper.start(threading.main_thread().ident, stepping.ENTRY)
            self.backend.steps_changed()

    def _breakpointhook(self, *args, **kwargs):
        self.stop(sys._getframe(1), "breakpoint", description="breakpoint()")

    def _threading_excepthook(self, hook_args):
        exc = hook_args.exc_value
        if exc is not None and not isinstance(exc, SystemExit):
            self.on_uncaught(exc)
        saved = self._saved_hooks
        (saved[1] if saved else threading.__excepthook__)(hook_args)

    def uninstall(self):
        if self._saved_hooks is not None:
            if sys.breakpointhook == self._breakpointhook:
                sys.breakpointhook = self._saved_hooks[0]
            if threading.excepthook == self._threading_excepthook:
                threading.excepthook = self._saved_hooks[1]
        self.backend.uninstall()

    # Stops -------------------------------------------------------------------------------------

    def stop(
        self, frame, reason, description=None, text=None, hit_ids=None, exc=None, break_mode=None, stack=None,
        steppable=None,
    ):
        """`steppable`: whether a step may start from this stop (default: not after an exception)."""
        ident = _thread.get_ident()
        if self.disconnected or ident in self.busy or ident in AGENT_THREADS:
            return
        if stack is None:
            stack = frames_from(frame)
        if not stack:
            return
        tid = self.threads.id_of(ident)
        st = StoppedThread(self, ident, tid, stack, reason, exc, break_mode)
        with self._lock:
            if self.disconnected:
                return
            self.busy.add(ident)
            self.stopped[tid] = st
            self.stepper.cancel(ident)
        action = None
        for listener in self.stop_listeners:
            try:
                listener(st)
            except Exception as e:
                self.internal_error("stop listener", e)
        try:
            body = {"reason": reason, "threadId": tid, "allThreadsStopped": False}
            if description:
                body["description"] = description
            if text:
                body["text"] = text
            if hit_ids:
                body["hitBreakpointIds"] = hit_ids
            if self.channel.send_event("stopped", body):
                action = st.serve()
        finally:
            with self._lock:
                self.stopped.pop(tid, None)
                st.closed = True
                st.forget_ids()
                self.busy.discard(ident)
            st.drain()
        if steppable is None:
            steppable = exc is None
        if action in _STEP_ACTIONS and steppable and not self.disconnected:
            self.stepper.start(ident, action, stack[0][0], stack[0][1])
            self.backend.step_started(ident, stack[0][0])
        self.backend.steps_changed()

    def on_function_start(self, frame):
        """A function started while function breakpoints exist; True if one matched."""
        bp = self.function_breakpoints.match(frame)
        if bp is None:
            return False
        self.on_breakpoint(frame, bp, "function breakpoint")
        return True

    def on_breakpoint(self, frame, bp, reason="breakpoint"):
        breakpoint_hit(self, frame, bp, reason)

    def on_step_line(self, frame, line):
        ident = _thread.get_ident()
        reason = self.stepper.on_line(ident, frame, line)
        if reason is not None:
            special = self.step_stops.pop(ident, None)
            if special is not None and special[0] is self.stepper.steps.get(ident):
                self.stop(frame, special[1], description=special[2], text=special[2], hit_ids=special[3])
            else:
                self.stop(frame, reason)

    def on_raise(self, frame, exc):
        if self.exceptions.should_stop_raised(frame, exc, self.just_my_code):
            self._stop_on_exception(frame, exc, "always")

    def on_unwind(self, frame, exc):
        if exc is self._last_reported:
            return
        if self.exceptions.should_stop_user_unhandled(frame, exc):
            self._last_reported = exc
            self._stop_on_exception(frame, exc, "userUnhandled")

    def on_uncaught(self, exc):
        """Post-mortem stop for an exception nothing caught (main program or a thread)."""
        if "uncaught" not in self.exceptions.filters or exc is self._last_reported:
            return
        self._last_reported = exc
        stack = frames_from_traceback(exc.__traceback__)
        self._stop_on_exception(None, exc, "unhandled", stack)

    def _stop_on_exception(self, frame, exc, mode, stack=None):
        info = exception_info(exc, mode)
        text = "%s: %s" % (info["exceptionId"], info["description"]) if info["description"] else info["exceptionId"]
        self.stop(frame, "exception", description=text, text=text, exc=exc, break_mode=mode, stack=stack)

    # Disconnect --------------------------------------------------------------------------------

    def on_disconnect(self):
        with self._lock:
            if self.disconnected:
                return
            self.disconnected = True
            stopped = list(self.stopped.values())
        self.stepper.clear()
        self.breakpoints.clear()
        self.function_breakpoints.set([])
        self.exceptions.set([], [])
        try:
            self.uninstall()
        except Exception as e:
            self.internal_error("uninstall", e)
        for st in stopped:
            st.resume("continue")
        for listener in self.disconnect_listeners:
            try:
                listener()
            except Exception as e:
                log("disconnect listener failed", e)
        self.configured.set()
