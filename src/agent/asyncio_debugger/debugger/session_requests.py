"""DAP request dispatch and the requests the session answers itself, on the reader thread; the
frame-bound ones go to the stopped thread that owns the frame (`stopped.py`). A mixin of `Session`,
whose state it reads and changes."""

from asyncio_debugger.channel import detach_output, start_hidden_thread
from asyncio_debugger.debugger import stepping
from asyncio_debugger.debugger.stopped import evaluate
from asyncio_debugger.log import log
from asyncio_debugger.protocol import TASK_THREAD_BASE

_FRAME_BOUND_BY_THREAD = ("stackTrace", "exceptionInfo")
_FRAME_BOUND_BY_REF = {"scopes": "frameId", "variables": "variablesReference", "setVariable": "variablesReference"}

# A handler's answer when it responded itself (before resuming the program, or from another thread).
DEFERRED = object()


class SessionRequests:
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
            if body is not DEFERRED:
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
        track = args.get("trackTasks", True)
        if track not in (True, False, "steps", "lifecycle"):
            raise ValueError(
                'trackTasks must be true, false, "steps" or "lifecycle", not %r.' % (track,)
            )
        self.track_tasks = track is not False
        self.task_level = "lifecycle" if track == "lifecycle" else "steps"
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
        return DEFERRED

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
        return DEFERRED

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
        return DEFERRED

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
        return DEFERRED

    def req_disconnect(self, args):
        self.channel.respond(self._current_request, {})
        if args.get("detachOutput"):
            detach_output()
        self.on_disconnect()
        return DEFERRED
