"""Breakpoints on future/task completion: Break When Done (`breakOnCompletion`) and DAP data
breakpoints on a variable that holds a Future or Task.

How the stop lands where the future completed: an armed future gets a marker done callback, and
its loop gets an instance attribute `call_soon` (C futures and tasks, asyncio's Python ones and
uvloop all look `loop.call_soon` up on the instance when they schedule done callbacks). A future's
callbacks are scheduled from inside `set_result()` / `set_exception()` / `cancel()`, so when the
marker passes through `call_soon` the caller's frame is the line that completed it (verified on
3.10-3.13). A Task completes inside its own step, after its coroutine frame has finished: the
stop shows that coroutine frame (kept from arming time, so its locals and the line where it
returned survive) or, for a failure, the traceback's frames, above the loop's frames.

For asyncio loops the `call_soon` override is BaseEventLoop.call_soon itself plus the marker
check, so the task tracker's hooks (which look two frames up from `_call_soon`) still see the
real caller. The override exists only while a breakpoint is armed on that loop.
"""

import asyncio
import inspect
import sys
import weakref

from asyncio_debugger.debugger import stepping
from asyncio_debugger.debugger.breakpoints import _ids as breakpoint_ids
from asyncio_debugger.debugger.frames import frames_from, frames_from_traceback, is_hidden
from asyncio_debugger.debugger.paths import normalize
from asyncio_debugger.debugger.safe_repr import safe_repr, short_name
from asyncio_debugger.debugger import completion_targets as targets
from asyncio_debugger.debugger.completion_filters import TaskFilters
from asyncio_debugger.debugger.completion_patterns import CompletionPatterns, PatternMarker
from asyncio_debugger.debugger.completion_reports import NeverRetrieved
from asyncio_debugger.debugger import completion_awaiter as awaiter
from asyncio_debugger.debugger.completion_call_soon import (
    BASE_CALL_SOON,
    asyncio_call_soon,
    class_call_soon,
    wrapping_call_soon,
)

REASON = "data breakpoint"
PATTERN_REASON = "function breakpoint"
# dataBreakpointInfo answers kept for a later setDataBreakpoints (dead ones pruned past this).
MAX_CANDIDATES = 1000
_ASYNCIO_DIR = normalize(asyncio.__file__).rsplit("/", 1)[0] + "/"
_EAGER = sys.version_info >= (3, 12)


class _Marker:
    """The done callback that marks an armed future; does nothing when it finally runs."""

    __slots__ = ("active", "bp_id", "label", "coro_frame", "canceller", "__weakref__")

    def __init__(self, bp_id, label, coro_frame):
        self.active = True
        self.bp_id = bp_id
        self.label = label
        self.coro_frame = coro_frame
        self.canceller = None

    def __call__(self, fut):
        self.coro_frame = None

    def __repr__(self):
        return "<asyncio debugger: break on completion>"


class Completion:
    """Armed futures per loop, the loop overrides, and the requests that arm them."""

    def __init__(self, session):
        self.session = session
        self.armed = {}  # id(future) -> (weakref to future, [active markers])
        self.loops = {}  # id(loop) -> (loop, previous instance attribute or None)
        self.data = {}  # DAP breakpoint id -> marker
        self.candidates = {}  # dataId -> (weakref to future, label)
        self.last_hit = None  # weakref to the future whose data breakpoints stopped last
        session.extra_handlers["breakOnCompletion"] = lambda s, args: self.break_on_completion(args)
        session.extra_handlers["dataBreakpointInfo"] = lambda s, args: self.data_breakpoint_info(args)
        session.extra_handlers["setDataBreakpoints"] = lambda s, args: self.set_data_breakpoints(args)
        self.filters = TaskFilters(session, describe)
        self.patterns = CompletionPatterns(session, self)
        self.never_retrieved = NeverRetrieved(session)
        session.disconnect_listeners.append(self.clear)

    # Requests (reader thread) -------------------------------------------------------------------

    def break_on_completion(self, args):
        task_id = int(args.get("taskId") or 0)
        task_threads = self.session.task_threads
        if task_threads is None:
            raise ValueError("Break When Done needs task tracking (the launch attribute trackTasks).")
        task, _loop = task_threads.live.find_task(int(args.get("raw") or 0))
        if task is None or task.done():
            raise ValueError("Task %d is not pending (it finished, or is unknown)." % task_id)
        self.arm(task, None, None)
        return {"taskId": task_id}

    def data_breakpoint_info(self, args):
        name = args.get("name") or ""
        try:
            value = targets.resolve(self.session, args)
        except LookupError as e:
            return {"dataId": None, "description": str(e)}
        if not targets.is_future(value):
            return {"dataId": None, "description": "Only asyncio futures and tasks can break on completion."}
        if value.done():
            return {"dataId": None, "description": "%s has already completed." % name}
        data_id = "future:%d" % id(value)
        if len(self.candidates) > MAX_CANDIDATES:
            self.candidates = {k: v for k, v in self.candidates.items() if v[0]() is not None}
        self.candidates[data_id] = (weakref.ref(value), name)
        return {"dataId": data_id, "description": "Break when %s completes" % name, "canPersist": False}

    def set_data_breakpoints(self, args):
        for bp_id in list(self.data):
            self.disarm(self.data.pop(bp_id))
        self._release_idle_loops()
        out = []
        for spec in args.get("breakpoints") or []:
            data_id = spec.get("dataId") or ""
            ref, label = self.candidates.get(data_id, (None, None))
            fut = ref() if ref is not None else None
            bp_id = next(breakpoint_ids)
            if fut is None:
                out.append({"id": bp_id, "verified": False, "message": "The future no longer exists."})
            elif fut.done():
                out.append({"id": bp_id, "verified": False, "message": "%s has already completed." % label})
            else:
                try:
                    marker = self.arm(fut, bp_id, label)
                except ValueError as e:
                    out.append({"id": bp_id, "verified": False, "message": str(e)})
                    continue
                self.data[bp_id] = marker
                out.append({"id": bp_id, "verified": True})
        return {"breakpoints": out}

    # Arming --------------------------------------------------------------------------------------

    def arm(self, fut, bp_id, label):
        coro = fut.get_coro() if targets.is_task(fut) else None
        marker = _Marker(bp_id, label, getattr(coro, "cr_frame", None))
        self._override(fut.get_loop())
        entry = self.armed.get(id(fut))
        if entry is None or entry[0]() is not fut:
            entry = self.armed[id(fut)] = (weakref.ref(fut), [])
        entry[1].append(marker)
        # Under the GIL a C future's add_done_callback is one step, safe while its loop runs.
        fut.add_done_callback(marker)
        return marker

    def disarm(self, marker):
        marker.active = False
        marker.coro_frame = None
        for key, (_ref, markers) in list(self.armed.items()):
            if marker in markers:
                markers.remove(marker)
                if not markers:
                    self.armed.pop(key, None)

    def clear(self):
        self.filters.unwrap()
        self.never_retrieved.unwrap()
        self.patterns.clear()
        for _ref, markers in list(self.armed.values()):
            for marker in markers:
                marker.active = False
                marker.coro_frame = None
        self.armed.clear()
        self.data.clear()
        self.candidates.clear()
        self._release_idle_loops()

    def _override(self, loop):
        if id(loop) in self.loops:
            return
        previous = loop.__dict__.get("call_soon") if hasattr(loop, "__dict__") else None
        if type(loop).call_soon in (BASE_CALL_SOON, class_call_soon) and previous is None:
            call_soon = asyncio_call_soon(loop, self)
        else:
            call_soon = wrapping_call_soon(loop, self, previous)
        try:
            loop.call_soon = call_soon
        except AttributeError:
            raise ValueError("This event loop (%s) does not allow breaking on completion." % type(loop).__name__)
        self.loops[id(loop)] = (loop, previous)

    def _release_idle_loops(self):
        busy = set()
        for key, (ref, markers) in list(self.armed.items()):
            fut = ref()
            if fut is None:
                self.armed.pop(key, None)  # collected without ever completing
            elif markers:
                busy.add(id(fut.get_loop()))
        for key, (loop, previous) in list(self.loops.items()):
            if key in busy or key in self.patterns.watched:
                continue
            del self.loops[key]
            try:
                if previous is None:
                    del loop.call_soon
                else:
                    loop.call_soon = previous
            except AttributeError:
                pass

    # On the loop's thread, inside call_soon -------------------------------------------------------

    def scheduled(self, callback, args, caller):
        """Every call_soon of an armed loop: a marker means its future just completed."""
        try:
            kind = type(callback)
            if kind is _Marker:
                if callback.active and args:
                    self._hit(callback, args[0], caller)
            elif kind is PatternMarker:
                if args and callback.patterns is self.patterns.active:
                    self.patterns.seen.task = args[0]
                    self._pattern_hit(callback, args[0], caller)
            elif args:
                if type(args[0]) is not _Marker:
                    self._note_wakeup(callback, args[0])
            elif self.patterns.active:
                self.patterns.first_step(callback)
        except Exception as e:
            # Whatever goes wrong here, the program's call_soon must still happen.
            self.session.internal_error("completion call_soon", e)

    def _note_wakeup(self, callback, woke):
        """A wakeup for an armed task whose awaited future was cancelled: remember who did it.
        With patterns set, an eagerly started task is marked at its first wakeup."""
        owner = getattr(callback, "__self__", None)
        if owner is None:
            return
        if _EAGER and self.patterns.active and targets.is_task(owner):
            if targets.has_task_factory(owner.get_loop()):
                self.patterns.woken(owner)
        if not targets.is_future(woke) or not woke.cancelled():
            return
        watched = self.patterns.active and targets.is_task(owner)
        if id(owner) not in self.armed and not watched:
            return
        current = asyncio.current_task(owner.get_loop())
        by = short_name(current.get_name()) if current is not None and current is not owner else None
        for marker in self.armed.get(id(owner), (None, ()))[1]:
            marker.canceller = by
        if watched:
            self.patterns.cancellers[owner] = by

    def unmarked_done(self, task, caller, coro=None):
        """A finished task no active PatternMarker saw (started eagerly): the patterns' turn."""
        if self.last_hit is not None and self.last_hit() is task:
            return  # a data breakpoint on it stopped already
        exc = None if task.cancelled() else task._exception
        tb = exc.__traceback__ if exc is not None else None
        coro_frame = None
        while tb is not None and coro_frame is None:
            if tb.tb_frame.f_code.co_flags & inspect.CO_COROUTINE:
                coro_frame = tb.tb_frame
            tb = tb.tb_next
        # Past the tracker's frames and asyncio's create_task: the line that created an eager task.
        while caller is not None and caller.f_back is not None and is_hidden(caller.f_code):
            caller = caller.f_back
        caller = _skip_asyncio(caller)
        self._hit(None, task, caller, PatternMarker(self.patterns.active, coro_frame, coro))
        exc = tb = coro_frame = None  # noqa: F841

    def _pattern_hit(self, pattern_marker, fut, caller):
        if self.last_hit is not None and self.last_hit() is fut:
            return  # a data breakpoint on it already stopped for this completion
        entry = self.armed.get(id(fut))
        if entry is not None and entry[0]() is fut and any(m.active for m in entry[1]):
            self._hit(entry[1][0], fut, caller, pattern_marker)  # one stop for all
        else:
            self._hit(None, fut, caller, pattern_marker)

    def _hit(self, marker, fut, caller, pattern_marker=None):
        """`marker`: an active data marker (None: patterns only); `pattern_marker`: the task's
        PatternMarker when the patterns see this completion."""
        # Every breakpoint armed on this future stops once, together.
        entry = self.armed.pop(id(fut), None)
        if entry is not None and entry[0]() is fut:
            markers = [m for m in entry[1] if m.active]
        else:
            markers = [marker] if marker is not None else []
        coro_frame = marker.coro_frame if marker is not None else None
        if pattern_marker is not None:
            coro_frame = coro_frame or pattern_marker.coro_frame
            pattern_marker.coro_frame = None
        for m in markers:
            m.active = False
            m.coro_frame = None
            self.data.pop(m.bp_id, None)
        if markers:
            self.last_hit = weakref.ref(fut)
        session = self.session
        try:
            # Data markers first: the task's PatternMarker comes next and is skipped (last_hit).
            watched = pattern_marker is not None or (self.patterns.active and targets.is_task(fut))
            eager_coro = getattr(pattern_marker, "coro", None)
            patterns = self.patterns.candidates(fut, coro_frame, eager_coro) if watched else []
            if not patterns and not markers:
                return  # every task has a pattern marker while patterns are set: keep this path short
            stack = _completion_stack(fut, coro_frame, caller)
            reason, hit_ids = self._stoppers(markers, patterns, fut, stack)
            if pattern_marker is not None:
                pattern_marker.canceller = self.patterns.cancellers.pop(fut, None)
            description = describe(fut, marker or pattern_marker, session.max_repr) if reason else None
        except Exception as e:
            session.internal_error("completion breakpoint", e)
            return
        stop_at = session.completion_stop_at
        # True: handed over to where the awaiter resumes; else what to add to the description.
        handed = awaiter.stop_at_awaiter(session, stop_at, fut, reason, description, hit_ids) if reason else True
        if handed is not True:
            description += handed
            session.stop(None, reason, description=description, text=description, hit_ids=hit_ids, stack=stack)
            if targets.is_task(fut) and stack and stack[0] not in frames_from(caller)[:1]:
                # A finished coroutine frame never reports a line again: a step from it goes to the
                # next user line, normally the awaiter resuming. (Not from a live frame: the line
                # that created an eager task.)
                _retarget_step(session, stack[0][0])
        caller = coro_frame = stack = markers = None  # noqa: F841
        if marker is not None:
            self._release_idle_loops()

    def _stoppers(self, markers, patterns, fut, stack):
        """(reason, hit breakpoint ids) of what stops here; reason None: no stop."""
        frame = stack[0][0] if stack else None
        ids = [m.bp_id for m in markers if m.bp_id is not None]
        data = bool(markers)
        hits = [bp.id for bp in patterns if bp.accepts(self.session, fut, frame)]
        if data:
            return REASON, (ids + hits) or None
        return (PATTERN_REASON, hits) if hits else (None, None)


def _skip_asyncio(frame):
    """The first frame outside asyncio's futures/tasks (Python futures schedule from inside)."""
    start = frame
    while frame is not None:
        filename = normalize(frame.f_code.co_filename)
        if not (filename.startswith(_ASYNCIO_DIR) and filename.rsplit("/", 1)[1] in ("futures.py", "tasks.py")):
            return frame
        frame = frame.f_back
    return start


def _completion_stack(fut, coro_frame, caller):
    if not targets.is_task(fut):
        return frames_from(_skip_asyncio(caller))
    loop_frames = frames_from(caller)
    exc = None if fut.cancelled() else fut._exception
    if exc is not None and exc.__traceback__ is not None:
        return frames_from_traceback(exc.__traceback__) + loop_frames
    if coro_frame is not None:
        return [(coro_frame, coro_frame.f_lineno)] + loop_frames
    return loop_frames


def describe(fut, marker, max_repr):
    label = getattr(marker, "label", None)
    if targets.is_task(fut):
        what = "Task %s" % short_name(fut.get_name())
    else:
        what = "Future %s" % label if label else "Future"
    if fut.cancelled():
        by = getattr(marker, "canceller", None)
        if by is None and not targets.is_task(fut):
            current = asyncio.current_task(fut.get_loop())
            by = short_name(current.get_name()) if current is not None else None
        return "%s cancelled by Task %s" % (what, by) if by else "%s cancelled" % what
    exc = fut._exception  # never fut.exception(): that would mark it retrieved
    if exc is not None:
        text = _text(exc, min(max_repr, 300))
        return "%s failed: %s%s" % (what, type(exc).__qualname__, ": " + text if text else "")
    return "%s finished: result %s" % (what, safe_repr(fut._result, min(max_repr, 200)))


def _text(exc, limit):
    try:
        text = str(exc)
    except Exception:
        return ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _retarget_step(session, dead_frame):
    ident = None
    for key, step in list(session.stepper.steps.items()):
        if step.frame is dead_frame:
            ident = key
    if ident is not None:
        session.stepper.start(ident, stepping.INTO)
        session.backend.steps_changed()
