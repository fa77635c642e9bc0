"""Which task resumes when a future completes, through what asyncio puts in between.

A task waits on one future (`_fut_waiter`), not always the one that completes: `gather(...)` waits
on an outer future that its children's done callbacks complete, `asyncio.wait(...)` and (before
3.12) `asyncio.wait_for(...)` on a private waiter, `shield(...)` on an outer future, the end of
a TaskGroup's `async with` (3.11+) on a future its tasks' done callbacks complete, an awaited
`asyncio.as_completed(...)` item on a getter of the queue its futures' done callbacks fill
(completion_as_completed.py).

Two directions, for two moments:
- `waiting_tasks(fut)`, after `fut` completed (its callbacks are being scheduled and no longer
  readable): from every pending task's waiter back to `fut` (gather's children, the locals of
  asyncio's `wait_for` / `_wait` / `TaskGroup.__aexit__` / as_completed's `_wait_for_one` frames
  in the task's await chain, shield's outer future whose own done callback holds the inner one).
- `task_resumed_by(task)`, before `task` completes (its callbacks are intact): forward through the
  done callbacks (a task's wakeup; futures held by a closure or a partial: gather's outer, the
  waiter of wait/wait_for, shield's outer; a TaskGroup's task; the first getter of as_completed's
  queue) to the task whose wakeup is at the end.
"""

import asyncio
import functools
from asyncio import tasks

from asyncio_debugger.debugger import completion_as_completed as as_completed
from asyncio_debugger.debugger.task_threads import pending_tasks

_TASK_TYPES = tuple({tasks.Task, tasks._PyTask})
_TASKS_FILE = tasks.__file__
try:
    from asyncio import taskgroups

    _TASKGROUPS_FILE = taskgroups.__file__
except ImportError:  # 3.10
    _TASKGROUPS_FILE = None
_DEPTH = 4

# How a task waits on the completed future: (task, via, resumes_now). `via` is "" (awaits it
# directly), "the gather", "asyncio.wait", "asyncio.wait_for", "shield", "the task group" or
# "asyncio.as_completed".
DIRECT = ""


def waiting_tasks(fut):
    """[(task, via, resumes_now)] for the pending tasks that wait on `fut`, which just completed."""
    out = []
    for task in pending_tasks(fut.get_loop()):
        if task is fut:
            continue
        found = _waits_on(task, fut)
        if found is not None:
            out.append((task,) + found)
    return out


def _waits_on(task, fut):
    waiter = task._fut_waiter
    if waiter is None:
        return None
    if waiter is fut:
        return DIRECT, True
    now = _in_gather(waiter, fut, 0)
    if now is not None:
        return "the gather", now
    for callback, _context in getattr(waiter, "_callbacks", None) or ():
        if any(held is fut for held in _cells(callback).values()):
            return "shield", True  # shield's outer: its _outer_done_callback holds `inner`
    return _in_wait_frames(task, fut)


def _in_gather(outer, fut, depth):
    """None: `fut` is not among `outer`'s gathered children; else whether `outer` completes now."""
    children = getattr(outer, "_children", None)
    if type(children) is not list or depth > _DEPTH:
        return None
    for child in children:
        if child is fut:
            return _gather_completes(outer, fut)
        nested = _in_gather(child, fut, depth + 1)
        if nested is not None:
            return nested and _gather_completes(outer, child)
    return None


def _gather_completes(outer, done_child):
    """Whether `outer` completes once `done_child` (done, or about to be) is counted."""
    if outer.done():
        return False  # completed (cancelled) before: nothing resumes for this child
    pending = [c for c in outer._children if c is not done_child and not c.done()]
    if not pending:
        return True
    if done_child.done() and (done_child.cancelled() or done_child._exception is not None):
        return not _gather_returns_exceptions(outer, pending)
    return False


def _gather_returns_exceptions(outer, pending):
    """gather's return_exceptions, read from its done callback on a pending child."""
    for child in pending:
        for callback, _context in getattr(child, "_callbacks", None) or ():
            cells = _cells(callback)
            if cells.get("outer") is outer:
                return bool(cells.get("return_exceptions"))
    return False


def _in_wait_frames(task, fut):
    """asyncio's wait_for (3.10/3.11) and _wait (asyncio.wait) frames in the task's await chain."""
    coro = task.get_coro()
    outer = []  # the coroutines above the frame looked at (as_completed's iterator is held there)
    depth = 0
    while coro is not None and depth < 64:
        frame = getattr(coro, "cr_frame", None)
        if frame is None:
            return None
        if frame.f_code.co_filename == _TASKGROUPS_FILE and frame.f_code.co_name == "__aexit__":
            group_tasks = getattr(frame.f_locals.get("self"), "_tasks", None) or ()
            if any(t is fut for t in group_tasks):
                failed = not fut.cancelled() and fut._exception is not None
                return "the task group", failed or all(t is fut or t.done() for t in group_tasks)
        if frame.f_code.co_filename == _TASKS_FILE:
            name = frame.f_code.co_name
            local = frame.f_locals
            if name == "wait_for" and local.get("fut") is fut:
                return "asyncio.wait_for", True
            if name == "_wait" and any(f is fut for f in local.get("fs") or ()):
                return "asyncio.wait", _wait_returns(local, fut)
            if name == "_wait_for_one":
                return as_completed.waits_on(task, fut, local, outer)
        outer.append(coro)
        coro = getattr(coro, "cr_await", None)
        depth += 1
    return None


def _wait_returns(local, fut):
    when = local.get("return_when")
    if when == asyncio.FIRST_COMPLETED:
        return True
    if when == asyncio.FIRST_EXCEPTION and not fut.cancelled() and fut._exception is not None:
        return True
    return all(f.done() for f in local.get("fs") or ())


def task_resumed_by(fut):
    """The task whose wakeup `fut`'s done callbacks lead to (directly or through gather, wait,
    wait_for or shield), or None. `fut` must not be done yet."""
    return _forward(fut, 0)


def _forward(fut, depth):
    for callback, _context in list(getattr(fut, "_callbacks", None) or ()):
        owner = getattr(callback, "__self__", None)
        if isinstance(owner, _TASK_TYPES):
            if owner is not fut:
                return owner
            continue
        parent = getattr(owner, "_parent_task", None)  # a TaskGroup's task (the `async with`)
        if isinstance(parent, _TASK_TYPES) and parent is not fut and callback.__name__ == "_on_task_done":
            return parent
        if depth >= _DEPTH:
            continue
        getter = as_completed.next_getter(callback, _cells(callback))
        if getter is not None:
            found = _forward(getter, depth + 1)
            if found is not None:
                return found
        for held in _held_futures(callback):
            if held is not fut and not held.done():
                found = _forward(held, depth + 1)
                if found is not None:
                    return found
    return None


def _held_futures(callback):
    if isinstance(callback, functools.partial):
        values = list(callback.args) + list((callback.keywords or {}).values())
    else:
        values = list(_cells(callback).values())
    return [v for v in values if isinstance(v, asyncio.Future)]


def _cells(callback):
    code = getattr(callback, "__code__", None)
    closure = getattr(callback, "__closure__", None)
    if code is None or not closure:
        return {}
    out = {}
    for name, cell in zip(code.co_freevars, closure):
        try:
            out[name] = cell.cell_contents
        except ValueError:
            continue
    return out
