"""A thread stopped by the debugger, serving frame-bound requests on itself until resumed.

User code reached from a request (`__repr__`, properties, evaluated expressions) therefore runs on
the thread that owns the frame, as it would under plain `python`.
"""

import queue
import traceback

from asyncio_debugger.debugger import frames as frames_mod
from asyncio_debugger.debugger.await_eval import AwaitError, AwaitOptions
from asyncio_debugger.debugger.evaluate import AwaitNotAllowed, evaluate_in_frame
from asyncio_debugger.debugger.safe_repr import EvaluationTimeout, ReprContext, call_with_timeout, safe_repr
from asyncio_debugger.debugger.task_threads import stack_of
from asyncio_debugger.debugger.variables import Container, VariableStore
from asyncio_debugger.log import log

_RESUME = object()
REPL_MAX = 100000


class StoppedThread:
    def __init__(self, session, ident, thread_id, stack, reason, exc=None, break_mode=None):
        self.session = session
        self.ident = ident
        self.thread_id = thread_id
        self.stack = stack  # [(frame, line)] innermost first
        self.reason = reason
        self.exc = exc
        self.break_mode = break_mode
        self.frame_ids = {}  # frame id -> (frame, line)
        self.vars = VariableStore(session.allocate_id, session.max_repr)
        self.queue = queue.SimpleQueue()
        self.resume_action = None
        self.closed = False  # set under the session lock once the thread has left serve()
        self.tasks = {}  # DAP thread id -> asyncio task of this thread's loop (task_threads.py)
        self.task_stacks = {}

    @property
    def top_frame(self):
        return self.stack[0][0] if self.stack else None

    def post(self, request):
        self.queue.put(request)

    def resume(self, action):
        self.resume_action = action
        self.queue.put(_RESUME)

    def serve(self):
        """Runs on the stopped thread until continue/step/disconnect."""
        while True:
            item = self.queue.get()
            if item is _RESUME:
                return self.resume_action
            try:
                body = getattr(self, "do_" + item["command"])(item.get("arguments") or {})
                self.session.channel.respond(item, body)
            except EvaluationTimeout:
                self.session.channel.respond(item, error="Evaluation did not finish in time.")
            except Exception as e:
                log("request %s failed" % item.get("command"), e)
                self.session.channel.respond(item, error=_message(e))

    # Frame-bound requests -------------------------------------------------------------------

    def do_stackTrace(self, args):
        start = int(args.get("startFrame") or 0)
        levels = int(args.get("levels") or 0)
        thread_id = args.get("threadId")
        stack = stack_of(self, thread_id)
        chosen = stack[start : start + levels] if levels else stack[start:]
        jmc = self.session.just_my_code
        out = []
        for i, (frame, line) in enumerate(chosen, start):
            fid = self._frame_id((thread_id, i), frame, line)
            out.append(frames_mod.to_dap(fid, frame, line, jmc))
        return {"stackFrames": out, "totalFrames": len(stack)}

    def _frame_id(self, key, frame, line):
        # One id per (thread or task thread, level): a task's frames are served by this thread too.
        for fid, (k, _f, _l) in self.frame_ids.items():
            if k == key:
                return fid
        fid = self.session.allocate_id()
        self.frame_ids[fid] = (key, frame, line)
        self.session.owners[fid] = self
        return fid

    def frame(self, frame_id):
        entry = self.frame_ids.get(frame_id)
        if entry is None:
            raise ValueError("Unknown frame %s (the thread has resumed)." % frame_id)
        return entry[1]

    def do_scopes(self, args):
        frame = self.frame(args["frameId"])
        scopes = []
        locs = frame.f_locals
        if locs is not frame.f_globals:
            ref = self._add_ref(Container("locals", locs, frame=frame))
            scopes.append(
                {"name": "Locals", "variablesReference": ref, "presentationHint": "locals", "expensive": False}
            )
        ref = self._add_ref(Container("globals", frame.f_globals, frame=frame))
        scopes.append({"name": "Globals", "variablesReference": ref, "expensive": False})
        return {"scopes": scopes}

    def _add_ref(self, container):
        ref = self.vars.add(container)
        self.session.owners[ref] = self
        return ref

    def container(self, ref):
        c = self.vars.refs.get(ref)
        if c is None:
            raise ValueError("Unknown variablesReference %s (the thread has resumed)." % ref)
        return c

    def do_variables(self, args):
        c = self.container(args["variablesReference"])
        before = set(self.vars.refs)
        out = self.vars.children(c, args.get("filter"), args.get("start") or 0, args.get("count") or 0)
        self._own_new_refs(before)
        return {"variables": out}

    def _own_new_refs(self, before):
        for ref in self.vars.refs:
            if ref not in before:
                self.session.owners[ref] = self

    def do_setVariable(self, args):
        c = self.container(args["variablesReference"])
        frame = c.frame or self.top_frame
        value, _ = evaluate_in_frame(frame, args["value"], False)
        self.vars.set(c, args["name"], value)
        before = set(self.vars.refs)
        body = self.vars.describe(args["name"], value, None, ReprContext(self.session.max_repr))
        self._own_new_refs(before)
        return {"value": body["value"], "type": body["type"], "variablesReference": body["variablesReference"]}

    def do_evaluate(self, args):
        frame = self.frame(args["frameId"]) if args.get("frameId") else None
        return self.session.evaluate(frame, args, self)

    def do_exceptionInfo(self, args):
        exc = self.exc
        if exc is None:
            raise ValueError("The thread did not stop on an exception.")
        return exception_info(exc, self.break_mode)

    # ---------------------------------------------------------------------------------------

    def drain(self):
        """Answer requests that arrived after the resume: the thread no longer serves them."""
        while True:
            try:
                item = self.queue.get_nowait()
            except queue.Empty:
                return
            if item is not _RESUME:
                self.session.channel.respond(item, error="The thread has resumed.")

    def forget_ids(self):
        owners = self.session.owners
        for fid in self.frame_ids:
            owners.pop(fid, None)
        for ref in self.vars.refs:
            owners.pop(ref, None)
        self.frame_ids.clear()
        self.vars.refs.clear()
        self.stack = []
        self.tasks = {}
        self.task_stacks = {}


def evaluate(session, frame, args, store):
    """Shared by frame-bound and frame-less evaluate; `store` owns any new variablesReference."""
    context = args.get("context") or "repl"
    expression = args.get("expression") or ""
    repl = context == "repl"
    max_len = REPL_MAX if context in ("repl", "clipboard") else session.max_repr
    awaits = None
    if repl or (context == "watch" and session.await_in_watch):
        awaits = AwaitOptions(session.await_timeout, session.await_runs_other_tasks)
    try:
        if awaits is not None and not repl:
            # A watch that may await: bounded by the await timeout, never interrupted inside the loop.
            value, is_stmt = evaluate_in_frame(frame, expression, False, awaits)
        elif context in ("hover", "watch", "variables"):
            value, is_stmt = call_with_timeout(evaluate_in_frame, frame, expression, False, timeout=2.0)
        else:
            value, is_stmt = evaluate_in_frame(frame, expression, repl, awaits)
    except EvaluationTimeout:
        raise ValueError("Evaluation did not finish within 2 s.")
    except AwaitNotAllowed:
        if context == "watch":
            raise ValueError(
                'await in watch expressions is off: set "awaitInWatch": true in the launch configuration.'
            )
        where = " and in watch expressions" if session.await_in_watch else ""
        raise ValueError("await is evaluated only in the Debug Console%s." % where)
    except AwaitError as e:
        raise ValueError(str(e))
    except SyntaxError as e:
        raise ValueError("SyntaxError: %s" % (e.msg,))
    except BaseException as e:
        if repl:
            raise ValueError("".join(traceback.format_exception_only(type(e), e)).strip())
        raise ValueError("%s: %s" % (type(e).__name__, _message(e)))
    if is_stmt:
        return {"result": "", "variablesReference": 0}
    if store is None:
        return {"result": safe_repr(value, max_len), "type": type(value).__name__, "variablesReference": 0}
    before = set(store.vars.refs)
    body = store.vars.describe("", value, expression, ReprContext(max_len), max_len)
    store._own_new_refs(before)
    return {"result": body["value"], "type": body["type"], "variablesReference": body["variablesReference"]}


def exception_info(exc, break_mode):
    t = type(exc)
    full = t.__qualname__ if t.__module__ == "builtins" else "%s.%s" % (t.__module__, t.__qualname__)
    try:
        message = str(exc)
    except BaseException:
        message = "<str() failed>"
    tb = frames_mod.trim_traceback(exc.__traceback__)
    formatted = "".join(traceback.format_exception(t, exc, tb))
    return {
        "exceptionId": t.__qualname__,
        "description": message,
        "breakMode": break_mode or "always",
        "details": {
            "typeName": t.__qualname__,
            "fullTypeName": full,
            "message": message,
            "stackTrace": formatted,
        },
    }


def _message(e):
    try:
        return str(e) or type(e).__name__
    except BaseException:
        return type(e).__name__
