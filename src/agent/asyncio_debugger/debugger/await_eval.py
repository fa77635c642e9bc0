"""`await` in the Debug Console: an awaiting expression runs on the paused program's own loop.

The stopped thread is inside a step of its event loop (a monitoring/trace callback of a task's
coroutine). The loop is re-entered from there, as nest_asyncio does: the current task is left
for the time of the evaluation, the expression's coroutine becomes a task of that loop, and
`loop._run_once()` runs until it is done. Objects bound to the loop (futures, queues, streams,
client sessions) therefore work as in the program.

The rest of the program stays paused: the callbacks that were ready and the timers that were
scheduled when the evaluation began are set aside, and so is any later step or wakeup of a task
that existed then; all of it is put back afterwards, in its order, ahead of everything scheduled
since. I/O events, executor results, and the timers, callbacks and tasks the evaluation itself
creates still run, so `await asyncio.sleep(1)`, socket reads and `gather` complete.
`runs_other_tasks` lets everything run (the paused task excepted: its step is in progress).

The stopped thread is in `session.busy` meanwhile, so breakpoints and steps do not trigger inside
the evaluation (no nested stop).

The evaluation's tasks are named `protocol.EVALUATE_TASK_NAME`: the adapter leaves them out of
the tasks it shows (they are the debugger's, not the program's), and `is_own` keeps them out of
the task threads.

On timeout the evaluation task is detached from what it waits on and cancelled with a
CancelledError thrown into its coroutine; the awaited future itself is not cancelled (a plain
`Task.cancel()` would cancel it and break the program that later resolves it).
"""

import ast
import asyncio
import collections
import heapq
import inspect
import sys
import threading
import weakref
from asyncio import base_events, events, tasks

from asyncio_debugger.protocol import EVALUATE_TASK_NAME as TASK_NAME

FLAGS = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
DEFAULT_TIMEOUT = 5.0
_GRACE = 1.0  # how long a cancelled evaluation may take to unwind
_RUN_FOREVER = base_events.BaseEventLoop.run_forever.__code__


_own = weakref.WeakSet()  # the evaluation tasks (not the program's)


def is_own(task):
    return task in _own


def _own_task(loop, coro, task_class=None):
    task = task_class(coro, loop=loop, name=TASK_NAME) if task_class else loop.create_task(coro, name=TASK_NAME)
    _own.add(task)
    return task


class AwaitError(Exception):
    """A message for the user, shown as it is."""


def is_coroutine_code(code):
    return bool(code.co_flags & inspect.CO_COROUTINE)


def uses_await(expression):
    """True if `expression` compiles only with top-level await allowed."""
    for mode in ("eval", "exec"):
        try:
            compile(expression, "<debug>", mode, FLAGS, dont_inherit=True)
            return True
        except (SyntaxError, ValueError):
            continue
    return False


class AwaitOptions:
    __slots__ = ("timeout", "runs_other_tasks")

    def __init__(self, timeout=DEFAULT_TIMEOUT, runs_other_tasks=False):
        self.timeout = timeout
        self.runs_other_tasks = runs_other_tasks


def run(coro, options):
    """Drive `coro` to its end on this thread's running loop (or a fresh one); its value."""
    loop = events._get_running_loop()
    if loop is None:
        elsewhere = _loop_thread_elsewhere()
        if elsewhere is not None:
            coro.close()
            raise AwaitError(
                "Cannot await here: this thread runs no event loop and the program's loop runs on "
                "thread %r. Select a frame of that thread (or a task) and evaluate there." % elsewhere
            )
        return _run_fresh(coro, options.timeout)
    if not (hasattr(loop, "_run_once") and isinstance(getattr(loop, "_ready", None), collections.deque)):
        coro.close()
        raise AwaitError(
            "Cannot await on a %s: only asyncio's own event loops can be re-entered while paused."
            % type(loop).__name__
        )
    return _Driver(loop, coro, options).run()


def _loop_thread_elsewhere():
    me = threading.get_ident()
    try:
        frames = sys._current_frames()
    except Exception:
        return None
    for ident, frame in frames.items():
        if ident == me:
            continue
        while frame is not None:
            if frame.f_code is _RUN_FOREVER:
                thread = threading._active.get(ident)
                return thread.name if thread is not None else ident
            frame = frame.f_back
    return None


def _run_fresh(coro, timeout):
    """No loop runs anywhere (stopped before `asyncio.run`, or in a plain script): a new one."""
    loop = asyncio.new_event_loop()
    try:
        task = _own_task(loop, coro)
        try:
            # Every task here is the evaluation's (run_until_complete would wrap a bare coroutine
            # in a task named like the program's).
            return loop.run_until_complete(_own_task(loop, asyncio.wait_for(task, timeout)))
        except asyncio.TimeoutError:
            if task.cancelled():
                raise AwaitError("await did not complete in %s s (awaitTimeout)." % _seconds(timeout)) from None
            raise
    finally:
        try:
            loop.run_until_complete(_own_task(loop, loop.shutdown_asyncgens()))
        finally:
            loop.close()


def _noop():
    pass


def _seconds(t):
    return ("%g" % t) if t == int(t) or t < 1 else ("%.1f" % t)


def _retrieve(task):
    """A done callback so an abandoned evaluation never logs 'exception was never retrieved'."""
    if not task.cancelled():
        task.exception()


class _Driver:
    def __init__(self, loop, coro, options):
        self.loop = loop
        self.coro = coro
        self.options = options
        self.held = collections.deque()
        self.task = None
        self.outer = None
        self.paused = {}  # id -> task, for the tasks that must not step
        self.timers = []  # the program's timers, set aside

    def run(self):
        loop = self.loop
        ready = loop._ready
        length = len(ready)
        saved_handle = getattr(loop, "_current_handle", None)
        outer = self.outer = tasks.current_task(loop)
        if outer is not None:
            self.paused[id(outer)] = outer
        if not self.options.runs_other_tasks:
            for t in tasks.all_tasks(loop):
                self.paused[id(t)] = t
            # What the program had scheduled before the pause waits too: its ready callbacks
            # and its timers (they run user code whose breakpoints could not stop now).
            for _ in range(length):
                self.held.append(ready.popleft())
            self.timers = list(loop._scheduled)
            del loop._scheduled[:]
        if outer is not None:
            tasks._leave_task(loop, outer)
        timed_out = False
        try:
            # The pure-Python Task: on timeout it can be detached from what it waits on.
            task = self.task = _own_task(loop, self.coro, tasks._PyTask)
            timeout = self.options.timeout
            self._drive(loop.time() + timeout)
            if not task.done():
                timed_out = True
                self._abort()
                self._drive(loop.time() + _GRACE)
        finally:
            self._restore(ready, length)
            if hasattr(loop, "_current_handle"):
                loop._current_handle = saved_handle
            if outer is not None:
                current = tasks.current_task(loop)
                if current is not None:
                    tasks._leave_task(loop, current)
                tasks._enter_task(loop, outer)
            self.paused.clear()
        if timed_out:
            if not task.done():
                task.add_done_callback(_retrieve)
            else:
                _retrieve(task)
            raise AwaitError(self._timeout_message(task))
        return task.result()

    def _timeout_message(self, task):
        text = "await did not complete in %s s" % _seconds(self.options.timeout)
        if self.options.runs_other_tasks:
            text += " (awaitTimeout)."
        else:
            text += (
                ": the awaited object may wait on paused tasks; set \"awaitRunsOtherTasks\": true in the "
                "launch configuration to let them run, or raise \"awaitTimeout\"."
            )
        if not task.done():
            text += " The evaluation was cancelled but has not finished; it ends when the program runs on."
        return text

    def _drive(self, deadline):
        loop = self.loop
        task = self.task
        timer = loop.call_at(deadline, _noop)  # bounds the selector's wait
        try:
            while not task.done() and loop.time() < deadline:
                self._hold()
                loop._run_once()
        finally:
            timer.cancel()

    def _hold(self):
        """Move ready steps/wakeups of paused tasks to `held`. Only popleft/append touch the
        queue: other threads may append to it (call_soon_threadsafe) at any moment."""
        ready = self.loop._ready
        paused = self.paused
        if not ready or not paused:
            return
        for _ in range(len(ready)):
            handle = ready.popleft()
            owner = getattr(handle._callback, "__self__", None)
            if owner is not None and paused.get(id(owner)) is owner:
                self.held.append(handle)
            else:
                ready.append(handle)

    def _restore(self, ready, length):
        """Held handles go back first, in their order, ahead of what was scheduled since. The
        outer `_run_once` still pops as many handles as were ready when it began: never fewer."""
        self._hold()  # a paused task's wakeup may still sit in the queue
        ready.extendleft(reversed(self.held))
        self.held.clear()
        if self.timers:
            scheduled = self.loop._scheduled
            scheduled.extend(self.timers)
            heapq.heapify(scheduled)
            self.timers = []
        while len(ready) < length:
            ready.append(events.Handle(_noop, (), self.loop, None))

    def _abort(self):
        """Throw CancelledError into the evaluation without cancelling the future it waits on."""
        task = self.task
        waiter = task._fut_waiter
        if waiter is not None:
            for callback, _context in list(getattr(waiter, "_callbacks", None) or ()):
                if getattr(callback, "__self__", None) is task:
                    waiter.remove_done_callback(callback)
            task._fut_waiter = None
            task.cancel()
            self.loop.call_soon(getattr(task, "_Task__step"), context=task._context)
        else:
            task.cancel()
