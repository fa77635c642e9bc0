"""Debugger state and request dispatch (runs requests on the reader thread or routes them to
the stopped thread that owns the frame)."""

import _thread
import itertools
import os
import sys
import threading

from asyncio_debugger.channel import AGENT_THREADS, detach_output, start_hidden_thread
from asyncio_debugger.debugger import stepping
from asyncio_debugger.debugger.await_eval import DEFAULT_TIMEOUT as DEFAULT_AWAIT_TIMEOUT
from asyncio_debugger.debugger.breakpoints import BreakpointTable, FunctionBreakpoints, hit as breakpoint_hit
from asyncio_debugger.debugger.completion import Completion
from asyncio_debugger.debugger.exceptions import ExceptionFilters
from asyncio_debugger.debugger.frames import frames_from, frames_from_traceback
from asyncio_debugger.debugger.safe_repr import DEFAULT_MAX
from asyncio_debugger.debugger.stopped import StoppedThread, evaluate, exception_info
from asyncio_debugger.debugger.task_threads import DEFAULT_MAX_TASK_THREADS
from asyncio_debugger.debugger.threads import ThreadIds
from asyncio_debugger.log import log
from asyncio_debugger.protocol import TASK_THREAD_BASE

_STEP_ACTIONS = (stepping.OVER, stepping.INTO, stepping.OUT)
_FRAME_BOUND_BY_THREAD = ("stackTrace", "exceptionInfo")
_FRAME_BOUND_BY_REF = {"scopes": "frameId", "variables": "variablesReference", "setVariable": "variablesReference"}


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


class Session:
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

    # Requests ----------------------------------------------------------------------------------

    def handle_request(self, req):
        command = req.get("command")
        args = req.get("arguments") or {}
        self._current_request = req
        try:
            if command in _FRAME_BOUND_BY_THREAD:
                return self._route(self._stopped_for(args.get("threadId")), req)
            if command in _FRAME_BOUND_BY_REF:
                return self._route(self.owners.get(args.get(_FRAME_BOUND_BY_REF[command])), req)
            if command == "evaluate" and args.get("frameId"):
                return self._route(self.owners.get(args["frameId"]), req)
            handler = getattr(self, "req_" + str(command), None)
            if handler is None:
                extra = self.extra_handlers.get(command)
                if extra is None:
                    self.channel.respond(req, error="Unknown request %r." % command)
                    return
                handler = lambda a: extra(self, a)  # noqa: E731
            body = handler(args)
            if body is not _DEFERRED:
                self.channel.respond(req, body)
        except Exception as e:
            log("request %s failed" % command, e)
            self.channel.respond(req, error=str(e) or type(e).__name__)

    def _route(self, st, req):
        with self._lock:
            if st is not None and not st.closed:
                st.post(req)
                return
        self.channel.respond(req, error="The thread is running or the id is no longer valid.")

    def req_initialize(self, args):
        self.just_my_code = bool(args.get("justMyCode", True))
        self.stepper.just_my_code = self.just_my_code
        self.stop_on_entry = bool(args.get("stopOnEntry", False))
        if args.get("maxReprLength"):
            self.max_repr = max(16, int(args["maxReprLength"]))
        if args.get("maxTaskThreads") is not None:
            self.max_task_threads = max(0, int(args["maxTaskThreads"]))
        self.track_tasks = bool(args.get("trackTasks", True))
        if args.get("awaitTimeout") is not None:
            self.await_timeout = max(0.1, float(args["awaitTimeout"]))
        self.await_runs_other_tasks = bool(args.get("awaitRunsOtherTasks", False))
        self.await_in_watch = bool(args.get("awaitInWatch", False))
        stop_at = args.get("completionStopAt") or "completer"
        if stop_at not in ("completer", "awaiter"):
            raise ValueError('completionStopAt must be "completer" or "awaiter", not %r.' % (stop_at,))
        self.completion_stop_at = stop_at
        return {}

    def req_setBreakpoints(self, args):
        source = args.get("source") or {}
        if not source.get("path"):
            raise ValueError("setBreakpoints needs source.path.")
        result = self.breakpoints.set_file(source, args.get("breakpoints") or [])
        self.backend.breakpoints_changed()
        return {"breakpoints": result}

    def req_setFunctionBreakpoints(self, args):
        specs = args.get("breakpoints") or []
        result = self.completion.patterns.set_function_breakpoints(specs, self.function_breakpoints)
        self.backend.breakpoints_changed()
        return {"breakpoints": result}

    def req_setExceptionBreakpoints(self, args):
        self.exceptions.set(args.get("filters") or [], args.get("filterOptions") or [])
        self.backend.exceptions_changed()
        self.completion.filters.changed()
        self.completion.never_retrieved.changed()
        return {}

    def req_configurationDone(self, args):
        # Respond first: the program may start and end (os._exit) before a later response.
        self.channel.respond(self._current_request, {})
        self.configured.set()
        return _DEFERRED

    def req_threads(self, args):
        threads = self.threads.list()
        if self.task_threads is not None:
            threads.extend(self.task_threads.list())
        return {"threads": threads}

    def req_continue(self, args):
        # Respond before resuming: a program that then exits at once must not lose the response.
        self.channel.respond(self._current_request, {"allThreadsContinued": False})
        st = self._stopped_for(args.get("threadId"))
        if st is not None:
            st.resume("continue")
        return _DEFERRED

    def _stopped_for(self, tid):
        """The stopped thread for a thread id, or for a task thread id the thread that owns it."""
        st = self.stopped.get(tid)
        if st is None and self.task_threads is not None and isinstance(tid, int) and tid >= TASK_THREAD_BASE:
            st = self.task_threads.owner(tid)
        return st

    def _step(self, args, kind):
        st = self._stopped_for(args.get("threadId"))
        if st is None:
            raise ValueError("The thread is not stopped.")
        self.channel.respond(self._current_request, {})
        st.resume(kind)
        return _DEFERRED

    def req_next(self, args):
        return self._step(args, stepping.OVER)

    def req_stepIn(self, args):
        return self._step(args, stepping.INTO)

    def req_stepOut(self, args):
        return self._step(args, stepping.OUT)

    def req_pause(self, args):
        tid = args.get("threadId") or 1
        st = self.stopped.get(tid)
        if st is not None and st.resume_action is None:
            return {}
        ident = self.threads.ident_of(tid)
        if ident is None:
            raise ValueError("Unknown thread %s." % tid)
        self.stepper.start(ident, stepping.PAUSE)
        self.backend.steps_changed()
        self.backend.request_pause(ident)
        return {}

    def req_evaluate(self, args):
        # No frame: evaluate in the main module's globals on a short-lived hidden thread so a
        # slow expression never blocks the request reader.
        req = self._current_request

        def run():
            try:
                self.channel.respond(req, evaluate(self, None, args, None))
            except Exception as e:
                self.channel.respond(req, error=str(e))

        start_hidden_thread(run)
        return _DEFERRED

    def evaluate(self, frame, args, store):
        return evaluate(self, frame, args, store)

    def req_disconnect(self, args):
        self.channel.respond(self._current_request, {})
        if args.get("detachOutput"):
            detach_output()
        self.on_disconnect()
        return _DEFERRED

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


_DEFERRED = object()

