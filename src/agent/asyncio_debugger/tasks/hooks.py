"""The producers: loop methods that record task creation, every task step and future resolution.

Installed on the loop classes (asyncio's BaseEventLoop, uvloop.Loop) rather than through event
loop policies, which are deprecated in 3.14. Every loop created from those classes, in any thread,
carries the hooks from its creation. The user's task factory is never touched: `create_task` is
wrapped around whatever the loop does (factory included), so `get_task_factory()` still returns
what the user set and eager factories keep working.

The hot path appends tuples (see codes.py) to the module-global list `_buf` (a list append of a
fresh tuple is ~5x cheaper than extending an array); the recorder swaps it out with `take()`.
Everything here runs on every step of the program: keep it flat (no helper calls on the common
path) and keep no references once a step is over. The rare paths (listeners, cancel sites,
asyncio's reports) are in hooks_rare.py.
"""

import sys
import threading
import time
from types import CodeType as _CodeType
from asyncio import events, futures, tasks

from . import codes, probe

_now = time.perf_counter_ns
_getframe = sys._getframe
_get_ident = threading.get_ident

_Handle = events.Handle
_format_callback_source = events.format_helpers._format_callback_source
_Future = futures.Future
_Task = tasks.Task

_STEP = codes.STEP
_CREATE = codes.CREATE
_DONE = codes.DONE
_FUTURE = codes.FUTURE

# The current batch and side objects; replaced wholesale by take().
_buf = []
_objs = []
# id(obj) -> obj for every code object and type a record refers to.
registry = codes.Registry()
_reg = registry.objects
# Loops seen by create_task, for snapshot(): id -> weakref.
loops = {}
# Listeners (add_done_listener, add_cancel_listener): tuples replaced whole, so the hot path pays
# one truth test while there are none and never sees a half-updated sequence.
_done_listeners = ()
_cancel_listeners = ()

_steps = probe.step_callbacks()
_STEP_T = _steps.step_type
_WAKE_T = _steps.wakeup_type
_WAKE_NAME = _steps.wakeup_name
_PY_STEP_FUNCS = _steps.py_funcs
_SCHEDULERS = _steps.scheduler_codes
_TG_CREATE = _steps.taskgroup_create_code
_CREATE_TASK = tasks.create_task.__code__
_MethodType = type(_Handle._run.__get__(object()))
_TASK_TYPES = probe.task_types()
_INTERNAL_GLOBALS = probe.internal_globals()
_EAGER = probe.HAS_EAGER

# The task whose step is running (its own reschedules are not new tasks), when that step started
# (the time stamp of futures it creates: one clock read fewer per future) and the number of
# create_task calls in progress.
_stepping = None
_step_t0 = 0
_creating = 0

if type(tasks.current_task) is type(len) or not hasattr(tasks, "_current_tasks"):
    _current_task = tasks.current_task
else:
    # 3.10/3.11: current_task is a Python wrapper around this dict lookup.
    _current_task = tasks._current_tasks.get


def take():
    """Hand the current batch to the caller and start a new one."""
    global _buf, _objs
    buf, objs = _buf, _objs
    _buf = []
    _objs = []
    return buf, objs


def _key(obj):
    k = id(obj)
    if k not in _reg:
        _reg[k] = obj
    return k


def _suspended_lasti(task):
    """The slow path of the step site: a generator-based coroutine (gi_frame), an object
    without a frame, or a coroutine that has no frame any more. -1 when unknown."""
    coro = task.get_coro()
    frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
    return frame.f_lasti if frame is not None else -1


def _coro_code(coro):
    """The code object a task's coroutine runs (its steps' sites are offsets into it)."""
    code = getattr(coro, "cr_code", None) or getattr(coro, "gi_code", None)
    return code if type(code) is _CodeType else None


class _StepHandle(_Handle):
    """A Handle around one task step: records its timing and what the task then awaits."""

    __slots__ = ("_at", "_woke", "_by", "_by_lasti")

    def _run(self):
        global _stepping, _step_t0
        # Handle._run inlined (identical on 3.10-3.13): one Python frame less on every step.
        task = self._callback.__self__
        _stepping = task
        _step_t0 = t0 = _now()
        try:
            self._context.run(self._callback, *self._args)
        except (SystemExit, KeyboardInterrupt):
            _stepping = None
            raise
        except BaseException as exc:
            cb = _format_callback_source(self._callback, self._args)
            context = {
                "message": "Exception in callback %s" % cb,
                "exception": exc,
                "handle": self,
            }
            if self._source_traceback:
                context["source_traceback"] = self._source_traceback
            self._loop.call_exception_handler(context)
        t1 = _now()
        _stepping = None
        w = task._fut_waiter
        if w is None and task.done():
            _buf.append(
                (_STEP, t0, id(task), t1, self._at, self._woke, 0, -1, self._by, self._by_lasti, -1)
            )
            _record_done(task, t1)
        else:
            # Where the coroutine suspended (the await line): its frame's offset; the code is the
            # coroutine's, registered once by its CREATE record.
            try:
                lasti = task.get_coro().cr_frame.f_lasti
            except AttributeError:
                lasti = _suspended_lasti(task)
            if w is None:
                _buf.append(
                    (_STEP, t0, id(task), t1, self._at, self._woke, 0, 0, self._by, self._by_lasti,
                     lasti)
                )  # fmt: skip
            else:
                wt = type(w)
                k = id(wt)
                if k not in _reg:
                    _reg[k] = wt
                _buf.append(
                    (_STEP, t0, id(task), t1, self._at, self._woke, id(w), k, self._by,
                     self._by_lasti, lasti)
                )  # fmt: skip
        # A failed task's traceback reaches this frame through the coroutine's f_back; keeping
        # references here would delay "Task exception was never retrieved" until the next GC.
        self = task = w = exc = cb = context = None  # noqa: F841


def _record_done(task, t):
    text = None
    if task.cancelled():
        outcome, k = codes.OUTCOME_CANCELLED, 0
    else:
        exc = task._exception  # never task.exception(): that marks the error as retrieved
        if exc is None:
            outcome, rt = codes.OUTCOME_OK, type(task._result)
        else:
            outcome, rt = codes.OUTCOME_ERROR, type(exc)
            args = exc.args
            if args and type(args[0]) is str:
                text = args[0][:500]
        k = id(rt)
        if k not in _reg:
            _reg[k] = rt
    _buf.append((_DONE, t, id(task), outcome, k, task.get_name(), text))
    if _done_listeners:
        for fn in _done_listeners:
            fn(task)


def _maybe_late_task(callback, loop, frame):
    """A task built as Task(...) directly never passes create_task: register it at first sight."""
    if frame.f_code in _SCHEDULERS:
        return
    task = callback.__self__
    coro = task.get_coro()
    if probe.coroutine_started(coro):
        return
    _emit_create(task, coro, loop, _current_task(loop), frame, 0, codes.FLAG_LATE, _now(), None)


def _call_soon(self, callback, args, context):
    """BaseEventLoop._call_soon with task steps wrapped in _StepHandle."""
    ct = type(callback)
    if ct is _STEP_T:
        handle = _StepHandle(callback, args, self, context)
        handle._at = _now()
        handle._woke = handle._by = handle._by_lasti = 0
        # A first step scheduled outside create_task (and not a task rescheduling itself).
        if not args and not _creating and callback.__self__ is not _stepping:
            _maybe_late_task(callback, self, _getframe(2))
    elif (ct is _WAKE_T and args and callback.__name__ == _WAKE_NAME) or (
        ct is _MethodType and _PY_STEP_FUNCS.get(callback.__func__) == 2
    ):
        handle = _StepHandle(callback, args, self, context)
        handle._at = _now()
        fut = args[0]
        handle._woke = id(fut)
        if type(fut) in _TASK_TYPES:
            handle._by = handle._by_lasti = 0
        else:
            # The frame that completed the future: the caller of call_soon.
            frame = _getframe(2)
            code = frame.f_code
            k = id(code)
            if k not in _reg:
                _reg[k] = code
            handle._by = k
            handle._by_lasti = frame.f_lasti
            if fut.cancelled():
                _note_cancel(fut, frame)
            frame = None
    elif ct is _MethodType and _PY_STEP_FUNCS.get(callback.__func__) == 1:
        handle = _StepHandle(callback, args, self, context)
        handle._at = _now()
        handle._woke = handle._by = handle._by_lasti = 0
    else:
        handle = _Handle(callback, args, self, context)
    if handle._source_traceback:
        del handle._source_traceback[-1]
    self._ready.append(handle)
    return handle


def _emit_create(task, coro, loop, parent, frame, group, flags, t, name):
    # The creation site: the first frame outside asyncio (gather, TaskGroup, ensure_future...).
    site = frame
    limit = 8
    while limit and id(site.f_globals) in _INTERNAL_GLOBALS:
        back = site.f_back
        if back is None:
            break
        site = back
        limit -= 1
    code = site.f_code
    ck = id(code)
    if ck not in _reg:
        _reg[ck] = code
    q = getattr(coro, "__qualname__", None)
    if q is None:
        q = type(coro).__qualname__
    lk = id(loop)
    if lk not in loops:
        probe.remember_loop(loops, loop)
    pk = id(parent) if parent is not None else 0
    try:
        cc = coro.cr_code
    except AttributeError:
        cc = _coro_code(coro)
    if cc is None:
        cck = 0
    else:
        cck = id(cc)
        if cck not in _reg:
            _reg[cck] = cc
    _buf.append(
        (_CREATE, t, id(task), pk, lk, _get_ident(), ck, site.f_lasti, q, group, flags, name, cck)
    )


def _after_eager(loop, coro, task, parent, t0, caller, group, name):
    """3.12+ with a task factory: the first step may have run inside create_task (eager)."""
    if not (task.done() or task._fut_waiter is not None or probe.coroutine_suspended(coro)):
        _emit_create(task, coro, loop, parent, caller, group, 0, t0, name)
        return
    _emit_create(task, coro, loop, parent, caller, group, codes.FLAG_EAGER, t0, name)
    t1 = _now()
    w = task._fut_waiter
    wk = _key(type(w)) if w is not None else 0
    done = task.done()
    if done:
        wk = -1
    lasti = -1 if done else _suspended_lasti(task)
    _buf.append((_STEP, t0, id(task), t1, t0, 0, id(w) if w is not None else 0, wk, 0, 0, lasti))
    if done:
        _record_done(task, t1)


def make_create_task(original, factory_attribute=True, inline=False):
    """Wrap a loop class's create_task, whatever task factory the user set on the loop.

    uvloop keeps its task factory in a C field, readable only through get_task_factory().
    inline: `original` is BaseEventLoop.create_task; without a task factory it is
    `_check_closed()` then `Task(coro, loop=self, ...)`: doing that here saves a Python frame.
    """

    def create_task(self, coro, **kwargs):
        global _creating
        t0 = _now()
        parent = _current_task(self)
        if factory_attribute:
            factory = self._task_factory is not None
        else:
            factory = self.get_task_factory() is not None
        # Tells _call_soon that the first step it is about to see belongs to a task we record
        # here (a plain counter: a race with another thread only costs that thread a check).
        _creating += 1
        try:
            if inline and not factory:
                self._check_closed()
                task = tasks.Task(coro, loop=self, **kwargs)
            else:
                task = original(self, coro, **kwargs)
        finally:
            _creating -= 1
        if type(task) not in _TASK_TYPES and not isinstance(task, _Task):
            return task  # a factory may return any Task-like object (CPython gh-95097 tests it)
        caller = _getframe(1)
        group = 0
        name = kwargs.get("name")
        if caller.f_code is _TG_CREATE:
            local = caller.f_locals
            group = id(local["self"])
            name = local.get("name")
        if factory and _EAGER:
            if name is None and caller.f_code is _CREATE_TASK:
                # asyncio.create_task names the task after loop.create_task returns, too late
                # for an eager task that already finished: take the name from its frame.
                name = caller.f_locals.get("name")
            _after_eager(self, coro, task, parent, t0, caller, group, name)
        else:
            _emit_create(task, coro, self, parent, caller, group, 0, t0, name)
        tb = task._source_traceback
        if tb and tb[-1].filename == __file__:
            del tb[-1]
        return task

    create_task.__wrapped__ = original
    create_task.__doc__ = original.__doc__
    return create_task


def make_create_future(original, inline=False):
    """inline: `original` is BaseEventLoop.create_future, i.e. `Future(loop=self)`; calling the
    C constructor directly saves a Python frame on every future."""

    def create_future(self):
        fut = _Future(loop=self) if inline else original(self)
        # Who asked (Queue.get, sleep, Lock.acquire...: the kind) and the frame that called it.
        caller = _getframe(1)
        code = caller.f_code
        ck = id(code)
        if ck not in _reg:
            _reg[ck] = code
        site = caller.f_back or caller
        scode = site.f_code
        sk = id(scode)
        if sk not in _reg:
            _reg[sk] = scode
        # Inside a step its start time stands for "now" (the future's creation time).
        t = _step_t0 if _stepping is not None else _now()
        _buf.append((_FUTURE, t, id(fut), ck, sk, site.f_lasti))
        return fut

    create_future.__wrapped__ = original
    create_future.__doc__ = original.__doc__
    return create_future


# The rare paths (hooks_rare.py reads and sets this module's globals): bound here, so that the
# hot functions above still find `_note_cancel` as one global lookup.
from .hooks_rare import (  # noqa: E402, F401
    _REPORTS,
    _note_cancel,
    _stack,
    add_cancel_listener,
    add_done_listener,
    make_call_exception_handler,
    note_live_tasks,
    remove_cancel_listener,
    remove_done_listener,
)
