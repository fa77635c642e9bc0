"""Completion breakpoints by pattern: DAP function breakpoints named `done:<glob>`,
`result:<glob>`, `exception:<glob>` or `cancelled:<glob>`.

The glob (fnmatch, case-sensitive) is matched against a task's name, its coroutine's qualname
(`worker`, `Crawler.fetch`) and `module.qualname`. A matching task is armed like a data breakpoint
(completion.py): the stop shows where it completed. The outcome filter, the condition (evaluated in
the completion frame with `task`, `result` and `exception` bound) and the hit count are checked
when it completes.

Seeing new tasks: while a pattern is set, `BaseEventLoop.call_soon` is replaced at class level by
completion's marker-checking copy (same frame depth, so the task tracker still sees the real
caller) and `uvloop.Loop.call_soon` is wrapped (now, or when uvloop is imported); other loops the
tracker knows get the instance override. A task's first step goes through `call_soon` without
arguments: there it gets a PatternMarker, and the patterns are checked when it completes. Tasks
that exist when the pattern is set get one at once. Nothing is replaced while no pattern is set.

Tasks started eagerly (3.12's eager task factory) never schedule a first step. One that suspends in
its eager step gets its PatternMarker at its first wakeup; one that finishes there (or any task no
marker saw) is reported by the task tracker's done listener right after it finished: no coroutine
frame survives then, so the stop shows where it completed (for an eager task, the `create_task`
line that ran it) or, for a failure, the traceback.
"""

import fnmatch
import re
import sys
import threading
import weakref
from asyncio import base_events, tasks

from asyncio_debugger.debugger import completion_call_soon as call_soon
from asyncio_debugger.debugger.breakpoints import _ids as breakpoint_ids
from asyncio_debugger.debugger.breakpoints import parse_hit_condition
from asyncio_debugger.debugger.completion_targets import is_task

OUTCOMES = {
    "done": "ends",
    "result": "ends with a result",
    "exception": "ends with an exception",
    "cancelled": "is cancelled",
}
_PREFIX = re.compile(r"^\s*([A-Za-z_]\w*)\s*:(.*)$", re.S)


def is_pattern(name):
    return bool(_PREFIX.match(name or ""))


def outcome_of(fut):
    if fut.cancelled():
        return "cancelled"
    return "exception" if fut._exception is not None else "result"


class PatternBreakpoint:
    __slots__ = ("id", "outcome", "glob", "regex", "condition", "condition_code", "hit_predicate", "hits", "message")

    def __init__(self, spec):
        self.id = next(breakpoint_ids)
        self.message = None
        self.condition_code = None
        self.hit_predicate = None
        self.hits = 0
        self.regex = None
        m = _PREFIX.match(spec.get("name") or "")
        self.outcome = m.group(1)
        self.glob = m.group(2).strip()
        self.condition = spec.get("condition") or None
        hit_condition = spec.get("hitCondition") or None
        if self.outcome not in OUTCOMES:
            self.message = "Unknown prefix %r: use done:, result:, exception: or cancelled: followed by a glob." % (
                self.outcome + ":"
            )
            return
        if not self.glob or any(c.isspace() for c in self.glob):
            self.message = "%s: needs a glob without spaces that matches task names or coroutines, e.g. %s:fetch-*" % (
                self.outcome,
                self.outcome,
            )
            return
        self.regex = re.compile(fnmatch.translate(self.glob))
        if self.condition:
            try:
                self.condition_code = compile(self.condition.strip(), "<condition>", "eval")
            except SyntaxError as e:
                self.message = "Invalid condition: %s" % (e.msg,)
        if hit_condition:
            self.hit_predicate = parse_hit_condition(hit_condition)
            if self.hit_predicate is None:
                self.message = "Invalid hit count %r: use N, >N, >=N, <N, ==N or %%N" % (hit_condition,)

    @property
    def verified(self):
        return self.message is None

    def describe(self):
        return "Stops when a task matching %s %s." % (self.glob, OUTCOMES[self.outcome])

    def matches(self, task, coro_frame, coro=None):
        """`coro_frame`: the coroutine's frame kept from arming (a finished one has none);
        `coro`: the coroutine when the task no longer has it (finished eagerly)."""
        match = self.regex.match
        if match(task.get_name()):
            return True
        # Not get_coro(): a task that finished eagerly has no coroutine left (3.12.1 crashes on it).
        coro = getattr(task, "_coro", None) or coro
        qualname = getattr(coro, "__qualname__", None)
        if qualname is None and coro_frame is not None:
            qualname = getattr(coro_frame.f_code, "co_qualname", coro_frame.f_code.co_name)
        if qualname is None:
            return False
        if match(qualname):
            return True
        if coro_frame is not None:
            module = coro_frame.f_globals.get("__name__")
        else:
            module = _module_of(getattr(coro, "cr_code", None))
        return bool(module) and bool(match("%s.%s" % (module, qualname)))

    def accepts(self, session, fut, frame):
        """At completion, for a candidate: condition, then hit count (counted when the condition holds)."""
        outcome = outcome_of(fut)
        if self.condition_code is not None:
            scope = dict(frame.f_locals) if frame is not None else {}
            scope["task"] = fut
            scope["result"] = fut._result if outcome == "result" else None
            scope["exception"] = fut._exception if outcome == "exception" else None
            try:
                if not eval(self.condition_code, frame.f_globals if frame is not None else {}, scope):
                    return False
            except Exception as e:
                session.output(
                    "Condition %r of breakpoint %s:%s failed (%s: %s); stopping as if it were true."
                    % (self.condition, self.outcome, self.glob, type(e).__name__, e)
                )
            finally:
                scope = None  # noqa: F841
        self.hits += 1
        return self.hit_predicate is None or self.hit_predicate(self.hits)


_CREATE_TASK = tasks.create_task.__code__
_EAGER = sys.version_info >= (3, 12)


def _eager_creation(task, frame):
    """The coroutine of a task that finished inside asyncio.create_task, named there too: 3.12's
    create_task names the task only after the loop's create_task returned."""
    depth = 0
    while frame is not None and depth < 8:
        if frame.f_code is _CREATE_TASK:
            local = frame.f_locals
            name = local.get("name")
            if name is not None and task.get_name() != str(name):
                task.set_name(name)  # what create_task does next
            return local.get("coro")
        frame = frame.f_back
        depth += 1
    return None


_modules_by_file = {}


def _module_of(code):
    """The module that defines `code`, by file name (a finished coroutine keeps no globals)."""
    filename = getattr(code, "co_filename", None)
    if filename is None:
        return None
    if filename not in _modules_by_file:
        found = None
        for name, module in list(sys.modules.items()):
            if getattr(module, "__file__", None) == filename:
                found = name
                break
        if found is None and len(_modules_by_file) > 1000:
            return None  # not remembered: files that belong to no module
        _modules_by_file[filename] = found
    return _modules_by_file[filename]


class CompletionPatterns:
    """The pattern breakpoints of one session and the hooks that find their tasks."""

    def __init__(self, session, completion):
        self.session = session
        self.completion = completion
        self.active = []  # verified PatternBreakpoints
        self.cancellers = weakref.WeakKeyDictionary()  # task -> name of the task that cancelled it
        self.watched = set()  # ids of loops whose instance override stays while patterns are set
        self.class_patched = False
        # Per loop thread: the task whose active PatternMarker just saw it complete.
        self.seen = threading.local()
        self.listening = False

    def set_function_breakpoints(self, specs, plain):
        """Splits a setFunctionBreakpoints list: patterns here, the rest to `plain`."""
        plain_specs = [s for s in specs if not is_pattern(s.get("name"))]
        plain_out = iter(plain.set(plain_specs))
        out = []
        patterns = []
        for spec in specs:
            if not is_pattern(spec.get("name")):
                out.append(next(plain_out))
                continue
            bp = PatternBreakpoint(spec)
            if bp.verified and not self.session.track_tasks:
                bp.message = "Completion breakpoints need task tracking (the launch attribute trackTasks)."
            body = {"id": bp.id, "verified": bp.verified}
            body["message"] = bp.message or bp.describe()
            out.append(body)
            if bp.verified:
                patterns.append(bp)
        self.set(patterns)
        return out

    def set(self, patterns):
        # Markers of the previous list (if any) now see a list that is not `active` and do nothing.
        completion = self.completion
        self.active = patterns
        if patterns:
            self._watch()
            self._listen(True)
            self._scan()
        else:
            self._unwatch()
            self._listen(False)
        completion._release_idle_loops()

    def clear(self):
        self.active = []
        self._unwatch()
        self._listen(False)

    # Hooks -------------------------------------------------------------------------------------

    def _known_loops(self):
        try:
            from asyncio_debugger.tasks.loops import open_loops
        except Exception:
            return []
        return open_loops()

    def _watch(self):
        if not self.class_patched and base_events.BaseEventLoop.call_soon is call_soon.BASE_CALL_SOON:
            call_soon.class_completion[0] = self.completion
            base_events.BaseEventLoop.call_soon = call_soon.class_call_soon
            self.class_patched = True
            call_soon.watch_uvloop()
        for loop in self._known_loops():
            if type(loop).call_soon is call_soon.class_call_soon or call_soon.uvloop_watched(loop):
                continue
            try:
                self.completion._override(loop)
            except ValueError:
                continue
            self.watched.add(id(loop))

    def _listen(self, on):
        # Before 3.12 every task's first step goes through call_soon: nothing for the listener.
        if on == self.listening or not _EAGER:
            return
        try:
            from asyncio_debugger.tasks import hooks
        except Exception:
            return
        if on:
            hooks.add_done_listener(self.task_done)
        else:
            hooks.remove_done_listener(self.task_done)
            self.seen = threading.local()
        self.listening = on

    def _unwatch(self):
        self.watched.clear()
        self.cancellers = weakref.WeakKeyDictionary()
        if self.class_patched:
            if base_events.BaseEventLoop.call_soon is call_soon.class_call_soon:
                base_events.BaseEventLoop.call_soon = call_soon.BASE_CALL_SOON
            call_soon.class_completion[0] = None
            call_soon.unwatch_uvloop()
            self.class_patched = False

    def _scan(self):
        from asyncio_debugger.debugger.task_threads import pending_tasks

        for loop in self._known_loops():
            for task in pending_tasks(loop):
                self.consider(task)

    # On the loop's thread (or the reader thread for existing tasks) -----------------------------

    def first_step(self, callback):
        """A callback scheduled without arguments: a task's first step (or a bare yield)."""
        task = getattr(callback, "__self__", None)
        if task is not None and is_task(task) and _not_started(task.get_coro()):
            self.consider(task)

    def consider(self, task):
        """Every task gets a PatternMarker while patterns are set: its name may change after
        creation (asyncio.create_task names it after scheduling its first step), so the glob is
        matched when it completes."""
        if task.done():
            return
        loop = task.get_loop()
        if (
            type(loop).call_soon is not call_soon.class_call_soon
            and id(loop) not in self.completion.loops
            and not call_soon.uvloop_watched(loop)
        ):
            try:
                self.completion._override(loop)
            except ValueError:
                return
            self.watched.add(id(loop))
        task.add_done_callback(PatternMarker(self.active, getattr(task.get_coro(), "cr_frame", None)))

    def woken(self, task):
        """3.12+: a wakeup of a task on a loop with a task factory. An eagerly started task never
        scheduled a first step: it gets its PatternMarker here, while its coroutine frame lives."""
        active = self.active
        for callback, _context in task._callbacks or ():
            if type(callback) is PatternMarker and callback.patterns is active:
                return
        self.consider(task)

    def task_done(self, task):
        """The task tracker's done listener: a task finished (the step, or eager create_task, that
        finished it is `sys._getframe(2)`). Tasks whose PatternMarker saw them are done already."""
        seen = self.seen
        if getattr(seen, "task", None) is task:
            seen.task = None
            return
        if not self.active:
            return
        try:
            caller = sys._getframe(2)
            self.completion.unmarked_done(task, caller, _eager_creation(task, caller))
        except Exception as e:
            self.session.internal_error("completion pattern listener", e)

    def candidates(self, fut, coro_frame, coro=None):
        """The active patterns whose outcome and glob fit this completed task (no condition yet)."""
        outcome = outcome_of(fut)
        return [bp for bp in self.active if bp.outcome in ("done", outcome) and bp.matches(fut, coro_frame, coro)]


class PatternMarker:
    """The done callback every task gets while patterns are set; does nothing when it runs.
    Markers of an earlier pattern set (`patterns` is not the active list) are ignored."""

    __slots__ = ("patterns", "coro_frame", "canceller", "coro")

    def __init__(self, patterns, coro_frame, coro=None):
        self.patterns = patterns
        self.coro_frame = coro_frame
        self.canceller = None
        self.coro = coro  # only for a task that finished eagerly (it no longer has its coroutine)

    def __call__(self, fut):
        self.coro_frame = None

    def __repr__(self):
        return "<asyncio debugger: completion patterns>"


if sys.version_info >= (3, 11):

    def _not_started(coro):
        frame = getattr(coro, "cr_frame", None)
        return frame is not None and not coro.cr_suspended and not coro.cr_running

else:

    def _not_started(coro):
        frame = getattr(coro, "cr_frame", None)
        return frame is not None and frame.f_lasti == -1 and not coro.cr_running
