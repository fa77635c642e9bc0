"""Start-up probes of the asyncio internals the hooks rely on (they differ across 3.10-3.13).

The step callbacks are found by scheduling a real task on a throwaway loop and looking at what
reaches `_call_soon`, so a CPython that renames them makes the probe (not the hot path) fail.
"""

import asyncio
import inspect
import os
import sys
import weakref
from asyncio import base_events, events, tasks

HAS_EAGER = sys.version_info >= (3, 12)

_ASYNCIO_DIR = os.path.dirname(asyncio.__file__) + os.sep
AGENT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def is_internal_file(filename):
    return filename.startswith(_ASYNCIO_DIR) or filename.startswith(AGENT_DIR)


class StepCallbacks:
    __slots__ = (
        "step_type",
        "wakeup_type",
        "wakeup_name",
        "py_funcs",
        "scheduler_codes",
        "taskgroup_create_code",
    )


class _Capture(asyncio.SelectorEventLoop):
    def __init__(self):
        super().__init__()
        self.seen = []

    def _call_soon(self, callback, args, context):
        self.seen.append((callback, len(args)))
        return super()._call_soon(callback, args, context)


async def _probe_body(loop):
    fut = loop.create_future()
    loop.call_soon(fut.set_result, None)
    await fut


def _captured_callbacks(task_class):
    loop = _Capture()
    try:
        task = task_class(_probe_body(loop), loop=loop)
        loop.run_until_complete(task)
        return [(cb, n) for cb, n in loop.seen if getattr(cb, "__self__", None) is task]
    finally:
        loop.close()


def step_callbacks():
    info = StepCallbacks()
    info.step_type = info.wakeup_type = None
    info.wakeup_name = None
    info.py_funcs = {}
    c_task = getattr(tasks, "_CTask", None)
    if c_task is not None:
        for cb, nargs in _captured_callbacks(c_task):
            if nargs == 0 and info.step_type is None:
                info.step_type = type(cb)
            elif nargs == 1 and info.wakeup_type is None:
                info.wakeup_type = type(cb)
                info.wakeup_name = getattr(cb, "__name__", None)
    py_task = getattr(tasks, "_PyTask", tasks.Task)
    for name, kind in (("_Task__step", 1), ("_Task__wakeup", 2)):
        func = getattr(py_task, name, None)
        if func is not None:
            info.py_funcs[func] = kind
    codes = {events.Handle._run.__code__, base_events.BaseEventLoop.create_task.__code__}
    for value in vars(py_task).values():
        code = getattr(value, "__code__", None)
        if code is not None:
            codes.add(code)
    info.scheduler_codes = frozenset(codes)
    group = getattr(asyncio, "TaskGroup", None)
    info.taskgroup_create_code = group.create_task.__code__ if group is not None else None
    return info


def internal_globals():
    """ids of the globals of asyncio's and the agent's modules (module dicts live for good)."""
    out = set()
    for name, module in list(sys.modules.items()):
        if module is None:
            continue
        if name == "asyncio" or name.startswith(("asyncio.", "asyncio_debugger")):
            out.add(id(vars(module)))
    return frozenset(out)


def task_types():
    """The Task classes whose instances may reach call_soon as a completed future."""
    candidates = (getattr(tasks, "_CTask", None), getattr(tasks, "_PyTask", None), tasks.Task)
    return frozenset(t for t in candidates if t is not None)


def coroutine_started(coro):
    try:
        return inspect.getcoroutinestate(coro) != inspect.CORO_CREATED
    except AttributeError:
        return True


def coroutine_suspended(coro):
    return getattr(coro, "cr_suspended", False)


def remember_loop(loops, loop):
    key = id(loop)

    def forget(_ref, key=key):
        loops.pop(key, None)

    try:
        loops[key] = weakref.ref(loop, forget)
    except TypeError:
        loops[key] = lambda loop=loop: loop
