"""asyncio tasks as DAP threads while a thread is stopped, and the task requests.

When an OS thread stops, every pending task of the loop running on that thread is listed as a DAP
thread `TASK_THREAD_BASE + n`, n a number the task keeps for its life (given here at the first stop
that lists it; the adapter knows which trace id it is from the `paused` tasks, keyed by id()). Its stack is the coroutine chain down to the await it is
parked on (innermost first); the running task shows the stopped thread's live frames down to its
coroutine. Frames get ids from the stopped thread, so scopes, variables and evaluate work in any
task's frames and run on that thread. Tasks of loops whose thread is running are not listed: their
frames change under us, and `asyncio/taskStacks` covers them.
"""

import asyncio
import itertools
import weakref

from asyncio_debugger.protocol import TASK_THREAD_BASE
from asyncio_debugger.debugger.await_eval import is_own
from asyncio_debugger.debugger.safe_repr import short_name

DEFAULT_MAX_TASK_THREADS = 100


def coroutine_name(coro):
    return getattr(coro, "__qualname__", None) or type(coro).__qualname__


def thread_name(task):
    return "Task %s · %s()" % (short_name(task.get_name()), coroutine_name(task.get_coro()))


def _frame_of(obj):
    for attr in ("cr_frame", "gi_frame", "ag_frame"):
        frame = getattr(obj, attr, None)
        if frame is not None:
            return frame
    return None


def _awaited(obj):
    for attr in ("cr_await", "gi_yieldfrom", "ag_await"):
        inner = getattr(obj, attr, None)
        if inner is not None:
            return inner
    return None


def suspended_chain(coro, limit=256):
    """[(frame, line)] innermost first, from a suspended coroutine down to the await it waits on."""
    out = []
    while coro is not None and limit:
        frame = _frame_of(coro)
        if frame is None:
            break
        out.append((frame, frame.f_lineno))
        coro = _awaited(coro)
        limit -= 1
    out.reverse()
    return out


def running_stack(stack, coro):
    """The part of a stopped thread's stack that belongs to the running task."""
    outer = _frame_of(coro)
    for i, (frame, _line) in enumerate(stack):
        if frame is outer:
            return stack[: i + 1]
    return list(stack)


def pending_tasks(loop):
    for _ in range(3):
        try:
            return [t for t in asyncio.all_tasks(loop) if not t.done()]
        except RuntimeError:
            continue
    return []


class TaskThreads:
    """Wires task threads and the task requests into a Session, fed by a LiveTasks."""

    def __init__(self, session, live):
        self.session = session
        self.live = live
        session.stop_listeners.append(self.on_stop)
        session.task_threads = self
        session.extra_handlers["cancelTask"] = lambda s, args: self.cancel(args)
        session.extra_handlers["taskStacks"] = lambda s, args: self.stacks(args)
        self._numbers = weakref.WeakKeyDictionary()
        self._counter = itertools.count(1)

    # On the stopped thread, before `stopped` is sent ----------------------------------------

    def on_stop(self, st):
        live = self.live
        live.flush()
        loop = asyncio.events._get_running_loop()
        st.tasks = {}  # DAP thread id -> task
        paused = {"threadId": st.thread_id, "running": None, "tasks": []}
        if loop is not None:
            current = asyncio.current_task(loop)
            listed = []
            for task in pending_tasks(loop):
                if is_own(task):  # an `await` in evaluate (left pending by a timeout)
                    continue
                n = self._number(task)
                if task is current:
                    activity = "running"
                    paused["running"] = id(task)
                elif task._fut_waiter is None:
                    activity = "ready"
                else:
                    activity = "awaiting"
                listed.append((n, task, activity))
            listed.sort(key=lambda item: (item[1] is not current, item[0]))
            cap = max(0, self.session.max_task_threads - self._listed_elsewhere(st))
            for i, (n, task, activity) in enumerate(listed):
                thread_id = TASK_THREAD_BASE + n if i < cap else None
                if thread_id is not None:
                    st.tasks[thread_id] = task
                paused["tasks"].append({"raw": id(task), "activity": activity, "threadId": thread_id})
        st.task_stacks = {}
        live.sync(paused)

    def _number(self, task):
        try:
            n = self._numbers.get(task)
            if n is None:
                n = self._numbers[task] = next(self._counter)
            return n
        except TypeError:  # a task-like object without weak references: a number for this stop
            return next(self._counter)

    def _listed_elsewhere(self, st):
        return sum(len(getattr(other, "tasks", ())) for other in list(self.session.stopped.values()) if other is not st)

    # On the reader thread ---------------------------------------------------------------------

    def list(self):
        out = []
        for st in list(self.session.stopped.values()):
            for thread_id, task in list(getattr(st, "tasks", {}).items()):
                try:
                    name = thread_name(task)
                except Exception:  # noqa: BLE001 - a broken name must not hide the task
                    name = "Task %d" % (thread_id - TASK_THREAD_BASE)
                out.append({"id": thread_id, "name": name})
        return out

    def owner(self, thread_id):
        for st in list(self.session.stopped.values()):
            if thread_id in getattr(st, "tasks", ()):
                return st
        return None

    def cancel(self, args):
        task_id = int(args.get("taskId") or 0)
        task, loop = self.live.find_task(int(args.get("raw") or 0))
        if task is None:
            raise ValueError("Task %d is not pending (it finished, or is unknown)." % task_id)
        message = args.get("message")
        if message:
            loop.call_soon_threadsafe(task.cancel, message)
        else:
            loop.call_soon_threadsafe(task.cancel)
        owner = getattr(loop, "_thread_id", None)
        stopped = owner is not None and owner in self.session.busy
        return {
            "taskId": task_id,
            "deferred": stopped,
            "message": (
                "The task will be cancelled when its thread resumes."
                if stopped
                else "Cancellation requested; the task sees CancelledError at its next step."
            ),
        }

    def stacks(self, args):
        # The creation site is the adapter's (its model has it); the await chain is only here.
        task, _loop = self.live.find_task(int(args.get("raw") or 0))
        awaiting = []
        if task is not None:
            from asyncio_debugger.debugger.frames import frame_name, is_hidden

            for frame, line in suspended_chain(task.get_coro()):
                if not is_hidden(frame.f_code):
                    awaiting.append({"file": frame.f_code.co_filename, "line": line, "function": frame_name(frame)})
        return {"creation": [], "awaiting": awaiting}


def stack_of(st, thread_id):
    """The stack a stopped thread serves for `thread_id` (itself or one of its loop's tasks)."""
    if thread_id == st.thread_id or thread_id is None:
        return st.stack
    cache = st.task_stacks
    stack = cache.get(thread_id)
    if stack is None:
        task = st.tasks.get(thread_id)
        if task is None:
            raise ValueError("Unknown task thread %s." % thread_id)
        coro = task.get_coro()
        if asyncio.current_task(asyncio.events._get_running_loop()) is task:
            stack = running_stack(st.stack, coro)
        else:
            from asyncio_debugger.debugger.frames import is_hidden

            stack = [(f, line) for f, line in suspended_chain(coro) if not is_hidden(f.f_code)]
        cache[thread_id] = stack
    return stack
