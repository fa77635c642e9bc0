"""Live task tracking for `launch`: the hooks' raw records go to the adapter as `records` events
(docs/protocol.md), at most every 100 ms; the adapter folds them into tasks, spans and edges.

Nothing is folded here. Folding costs about 1.8 µs a record in Python and holds the GIL of the
program's process; sending the records as they are (`marshal`, C code, ~0.2 µs a record) moves that
work to the adapter's own process. What the adapter cannot see from the records is read here, on
the recorder's hidden thread: the names tasks got after `loop.create_task` returned, and, after
records were dropped, which tasks are really alive (`alive`, see `_Reconcile`).

A slow adapter only delays the recorder thread (the send blocks it, never the program): records
that pile up meanwhile are dropped by the recorder and counted, never waited for.
"""

import _thread
import time

from asyncio_debugger.channel import AGENT_THREADS
from asyncio_debugger.debugger.safe_repr import short_name
from asyncio_debugger.log import log
from asyncio_debugger.protocol import TASKS_EVENT_INTERVAL_MS

SEND_INTERVAL_NS = TASKS_EVENT_INTERVAL_MS * 1_000_000
# Records waiting for the next event beyond this are dropped (oldest first) and counted.
MAX_PENDING_RECORDS = 400_000
# Unnamed new tasks remembered for naming at most; the oldest are forgotten first.
MAX_UNNAMED = 50_000
# After new drops, send `alive` at most this often, and for this long after the last new drop (a
# finished task whose id() a new task already had looked alive until the new one's records came).
ALIVE_INTERVAL_NS = 500_000_000
ALIVE_SETTLE_NS = 5_000_000_000

_CREATE = 1


class LiveTasks:
    """The recorder's sink: batches become `records` events."""

    dropped = 0

    def __init__(self, channel):
        from asyncio_debugger.tasks import hooks, wire

        self.channel = channel
        self.t0 = time.perf_counter_ns()
        self.encoder = wire.Encoder(hooks.registry, self.t0)
        self._wire = wire
        self.lock = _thread.allocate_lock()
        self.pending = []
        self.pending_records = 0
        self.unnamed = {}  # raw id -> None, in creation order
        self.last_sent = 0
        self.tracker = None
        self.closed = False
        self.alive_sent_for = 0  # the drop count the last `alive` answered
        self.last_alive = 0
        self.last_drop = 0

    # Sink -----------------------------------------------------------------------------------

    def write(self, batch):
        ident = _thread.get_ident()
        if self.tracker is not None and ident == self.tracker.recorder.thread_ident:
            AGENT_THREADS.add(ident)
        with self.lock:
            self._add(batch)
            if batch.now - self.last_sent >= SEND_INTERVAL_NS:
                self._send(batch.now)

    def close(self):
        with self.lock:
            self._send(time.perf_counter_ns(), force=True)
            self.closed = True

    def _add(self, batch):
        unnamed = self.unnamed
        # asyncio.create_task names its task after loop.create_task returned: the CREATE record
        # has no name then. Read it later from the task (`names`).
        for r in batch.records:
            if r[0] == _CREATE and r[11] is None:
                unnamed[r[2]] = None
        while len(unnamed) > MAX_UNNAMED:
            del unnamed[next(iter(unnamed))]
        self.pending.append(batch)
        self.pending_records += len(batch.records)
        while self.pending_records > MAX_PENDING_RECORDS and len(self.pending) > 1:
            old = self.pending.pop(0)
            self.pending_records -= len(old.records)
            self.dropped += len(old.records)

    def _send(self, now, paused=None, force=False):
        if self.closed:
            return
        batches, self.pending, self.pending_records = self.pending, [], 0
        if not batches and paused is None and not force and not self.unnamed:
            self.last_sent = now
            return
        body = self.encoder.encode(batches, now)
        alive_due = self._alive_due(now, force or paused is not None)
        live = _live_tasks() if self.unnamed or alive_due else None
        if self.unnamed and live is not None:
            body["names"] = self._names(live)
        if live is not None and alive_due:
            body["alive"] = [[raw, _name(task), _coro_name(task)] for raw, task in live.items()]
            self.alive_sent_for = self.dropped_counts()["records"]
            self.last_alive = now
        body["dropped"] = self.dropped_counts()
        if paused is not None:
            body["paused"] = paused
        self.last_sent = now
        self.channel.send_line(self._wire.event_line(body))

    def _names(self, live):
        out = []
        unnamed = self.unnamed
        for raw in list(unnamed):
            task = live.get(raw)
            if task is not None:
                out.append([raw, _name(task)])
            del unnamed[raw]
        return out

    def _alive_due(self, now, force):
        """After drops the adapter checks its pending tasks against the truth (`alive`): a task
        whose end record was dropped would stay pending forever."""
        dropped = self.dropped_counts()["records"]
        if dropped == 0:
            return False
        if force:
            return True
        if dropped > self.alive_sent_for:
            self.last_drop = now
        elif now - self.last_drop >= ALIVE_SETTLE_NS:
            return False
        return now - self.last_alive >= ALIVE_INTERVAL_NS

    def dropped_counts(self):
        recorder = self.tracker.recorder.dropped if self.tracker is not None else 0
        return {"records": recorder + self.dropped, "objects": 0}

    # Queries from the debugger ---------------------------------------------------------------

    def flush(self):
        """Hand everything recorded so far to this sink."""
        if self.tracker is not None:
            self.tracker.recorder.flush()

    def sync(self, paused=None):
        """Send everything now (on a stop: before `stopped`, with the stopped loop's tasks)."""
        if self.tracker is None:
            return
        try:
            self.tracker.recorder.flush()
        except Exception as e:  # noqa: BLE001
            log("live flush failed", e)
        with self.lock:
            self._send(time.perf_counter_ns(), paused=paused, force=True)

    def find_task(self, raw):
        """The pending task object whose id() is `raw`, and its loop, or (None, None)."""
        from asyncio_debugger.tasks.loops import all_tasks, open_loops

        for loop in open_loops():
            for task in all_tasks(loop) or []:
                if id(task) == raw and not task.done():
                    return task, loop
        return None, None

    def stop(self):
        if self.tracker is not None:
            try:
                self.tracker.stop()
            except Exception as e:  # noqa: BLE001
                log("stopping task tracking failed", e)


def _live_tasks():
    """id() -> task for every task of every open loop the hooks saw; None if one could not be read."""
    from asyncio_debugger.tasks.loops import all_tasks, open_loops

    out = {}
    for loop in open_loops():
        tasks = all_tasks(loop)
        if tasks is None:
            return None
        for task in tasks:
            out[id(task)] = task
    return out


def _name(task):
    try:
        return short_name(task.get_name())
    except Exception:  # noqa: BLE001 - a Task subclass may break get_name
        return None


def _coro_name(task):
    try:
        coro = task.get_coro()
        return getattr(coro, "__qualname__", None) or type(coro).__qualname__
    except Exception:  # noqa: BLE001
        return None


def start(channel, level="steps"):
    """Install the task hooks and stream to `channel`; None if tracking cannot run here.
    level: "steps" or "lifecycle" (see tasks.start)."""
    from asyncio_debugger import tasks

    live = LiveTasks(channel)
    try:
        live.tracker = tasks.start(live, interval=0.05, level=level)
    except Exception as e:  # noqa: BLE001 - the program must run even without task tracking
        log("task tracking unavailable", e)
        return None
    recorder = live.tracker.recorder
    for _ in range(100):
        if recorder.thread_ident is not None:
            AGENT_THREADS.add(recorder.thread_ident)
            break
        time.sleep(0.001)
    return live
