"""Live task tracking for `launch`: the recorder's hooks feed a model here, and the deltas go to
the adapter as `tasks` events (docs/protocol.md), at most every 100 ms.

The model runs on the recorder's hidden thread, never on the program's. It keeps only what later
records can refer to (pending tasks, their futures); spans and edges leave with each event, so
memory stays bounded however long the program runs. A slow model or adapter only delays the
recorder thread: records that pile up meanwhile are dropped and counted, never waited for.
"""

import _thread
import time
from collections import deque

from asyncio_debugger.channel import AGENT_THREADS
from asyncio_debugger.debugger.safe_repr import MAX_NAME, short_name
from asyncio_debugger.log import log
from asyncio_debugger.protocol import TASKS_EVENT_INTERVAL_MS

SEND_INTERVAL_NS = TASKS_EVENT_INTERVAL_MS * 1_000_000
# The model costs several times what recording does: the recorder thread feeds it for at most
# this long per flush (every 50 ms), in chunks, so the program keeps most of the GIL. Records
# beyond MAX_BACKLOG_RECORDS waiting for the model are dropped (oldest first) and counted.
FEED_BUDGET_NS = 8_000_000
FEED_CHUNK = 256
MAX_BACKLOG_RECORDS = 200_000
# Futures and finished tasks are forgotten once the model holds this many objects.
PRUNE_AT = 20_000
FUTURE_TTL_NS = 60_000_000_000


class LiveTasks:
    """The recorder's sink; also answers which trace id a live task object has."""

    dropped = 0

    def __init__(self, channel):
        from asyncio_debugger.tasks import hooks, model, reconcile

        self.channel = channel
        self.reconciler = reconcile.Reconciler()
        self.trace = model.Trace(hooks.registry)
        self._model = model
        self.lock = _thread.allocate_lock()
        self.t0 = time.perf_counter_ns()
        self.changed = set()
        self.backlog = deque()
        self.prune_at = PRUNE_AT
        self.backlog_pos = 0
        self.backlog_records = 0
        self.tasks_seen = 0
        self.last_sent = 0
        self.tracker = None
        self.closed = False

    # Sink -----------------------------------------------------------------------------------

    def write(self, batch):
        ident = _thread.get_ident()
        if self.tracker is not None and ident == self.tracker.recorder.thread_ident:
            AGENT_THREADS.add(ident)
        with self.lock:
            self.backlog.append(batch)
            self.backlog_records += len(batch.records)
            while self.backlog_records > MAX_BACKLOG_RECORDS and len(self.backlog) > 1:
                old = self.backlog.popleft()
                lost = len(old.records) - self.backlog_pos
                self.backlog_pos = 0
                self.backlog_records -= lost
                self.dropped += lost
            self._drain(time.perf_counter_ns() + FEED_BUDGET_NS)
            if batch.now - self.last_sent >= SEND_INTERVAL_NS:
                self._send(batch.now)

    def close(self):
        with self.lock:
            self._drain(None)
            self._reconcile(time.perf_counter_ns(), True)
            self._send(time.perf_counter_ns())
            self.closed = True

    def _drain(self, deadline):
        """Feed the model from the backlog, in small chunks until `deadline` (None: everything)."""
        from asyncio_debugger.tasks.recorder import Batch

        backlog = self.backlog
        while backlog:
            batch = backlog[0]
            records = batch.records
            start = self.backlog_pos
            end = min(len(records), start + FEED_CHUNK)
            last = end >= len(records)
            # Side objects complete records already fed: they go with the batch's last chunk.
            self._feed(Batch(records[start:end], batch.objects if last else (), batch.now))
            self.backlog_records -= end - start
            if last:
                backlog.popleft()
                self.backlog_pos = 0
            else:
                self.backlog_pos = end
            if deadline is not None:
                if time.perf_counter_ns() >= deadline:
                    return
                # Let the program's threads take the GIL between chunks.
                time.sleep(0)

    def _feed(self, batch):
        from asyncio_debugger.tasks import codes

        trace = self.trace
        trace.feed(batch)
        tasks = trace.tasks
        if len(tasks) != self.tasks_seen:
            # New tasks are appended to the dict: the tail holds the ones this batch created.
            self.changed.update(list(tasks)[self.tasks_seen :])
        by_raw = trace._by_raw
        for r in batch.records:
            if r[0] in (codes.DONE, codes.REPORT, codes.LIVE):
                info = by_raw.get(r[2])
                if info is not None and info.id in tasks:
                    self.changed.add(info.id)
        self.changed.update(trace.spans[0])
        self.tasks_seen = len(tasks)

    def _send(self, now):
        if self.closed:
            return
        self._reconcile(now)
        body = self._delta(now)
        self.last_sent = now
        if body is None:
            return
        self.channel.send_event("tasks", body)
        self._prune()

    def _delta(self, now, force=False):
        from asyncio_debugger.tasks import native

        trace = self.trace
        t0 = self.t0
        spans = trace.spans
        if not self.changed and not len(spans[0]) and not len(trace.edges) and not force:
            return None
        if any(trace.tasks[i].name is None for i in self.changed if i in trace.tasks):
            self._name_tasks()
        tasks = [native.task_record(trace.tasks[i], t0) for i in sorted(self.changed) if i in trace.tasks]
        for record in tasks:
            # Task names are any string, even megabytes: the tree and the timeline show the start.
            if isinstance(record.get("name"), str) and len(record["name"]) > MAX_NAME:
                record["name"] = short_name(record["name"])
        ids, starts, ends, sched, woke, wkind, won, lines = spans
        body = {
            "t0": t0,
            "now": now - t0,
            "tasks": tasks,
            "spans": {
                "task": ids.tolist(),
                "start": [v - t0 for v in starts],
                "end": [v - t0 for v in ends],
                "scheduled": [None if v == 0 else v - t0 for v in sched],
                "woken_by": woke.tolist(),
                "awaits_kind": list(wkind),
                "awaits_id": won.tolist(),
                "line": lines.tolist(),
            },
            "edges": [[kind, a, b, t - t0] for kind, a, b, t in trace.edges],
            "dropped": self.dropped_counts(),
        }
        for column in spans:
            del column[:]
        edges = trace.edges
        for column in (edges.kind, edges.a, edges.b, edges.t):
            del column[:]
        self.changed.clear()
        return body

    def _reconcile(self, now, force=False):
        # Tasks whose end was among dropped records would stay pending forever (tasks/reconcile.py).
        self.reconciler.check(self.trace, self.dropped_counts()["records"], now, self.changed, force)

    def _name_tasks(self):
        # asyncio.create_task names a task only after loop.create_task returned (where the hooks
        # record it): read the names of live tasks that arrived without one.
        from asyncio_debugger.tasks import hooks

        by_raw = self.trace._by_raw
        task_type = self._model.TaskInfo
        for ref in list(hooks.loops.values()):
            loop = ref()
            if loop is None:
                continue
            for task in _all_tasks(loop):
                info = by_raw.get(id(task))
                if isinstance(info, task_type) and info.name is None:
                    try:
                        info.name = task.get_name()
                    except Exception:  # noqa: BLE001 - a Task subclass may break get_name
                        pass

    def dropped_counts(self):
        recorder = self.tracker.recorder.dropped if self.tracker is not None else 0
        return {"records": recorder + self.dropped, "objects": 0}

    def _prune(self):
        trace = self.trace
        if len(trace._by_raw) < self.prune_at:
            return
        task_type = self._model.TaskInfo
        # A future nobody resolved for this long is most likely dropped; if a task wakes from
        # it after all, the model only loses its kind.
        old = time.perf_counter_ns() - FUTURE_TTL_NS
        keep = {}
        for raw, info in trace._by_raw.items():
            if isinstance(info, task_type):
                if info.ended is None:
                    keep[raw] = info
            elif info.resolved is None and info.cancel is None and (info.created or 0) > old:
                keep[raw] = info
        trace._by_raw = keep
        self.prune_at = max(PRUNE_AT, 2 * len(keep))
        old_tasks = trace.tasks
        trace.tasks = {i.id: i for i in keep.values() if isinstance(i, task_type)}
        self.reconciler.keep_superseded(old_tasks, trace.tasks, time.perf_counter_ns(), self.changed)
        trace.futures = {i.id: i for i in keep.values() if not isinstance(i, task_type)}
        self.tasks_seen = len(trace.tasks)

    # Queries from the debugger ---------------------------------------------------------------

    def flush(self):
        """Bring the model up to date with everything recorded so far."""
        if self.tracker is not None:
            self.tracker.recorder.flush()
        with self.lock:
            self._drain(None)

    def sync(self, paused=None):
        """Bring the model up to date and send everything now (on a stop: before `stopped`)."""
        if self.tracker is None:
            return
        try:
            self.tracker.recorder.flush()
        except Exception as e:  # noqa: BLE001
            log("live flush failed", e)
        with self.lock:
            if self.closed:
                return
            self._drain(None)
            now = time.perf_counter_ns()
            self._reconcile(now, True)
            body = self._delta(now, force=True)
            if paused is not None:
                body["paused"] = paused
            self.last_sent = now
            self.channel.send_event("tasks", body)

    def trace_id(self, task):
        info = self.trace._by_raw.get(id(task))
        if isinstance(info, self._model.TaskInfo) and info.ended is None:
            return info.id
        return None

    def find_task(self, trace_id):
        """The live task object with this trace id, and its loop, or (None, None)."""
        from asyncio_debugger.tasks.loops import open_loops

        for loop in open_loops():
            for task in _all_tasks(loop):
                if self.trace_id(task) == trace_id:
                    return task, loop
        return None, None

    def site_of(self, trace_id):
        info = self.trace.tasks.get(trace_id)
        return info.site if info is not None else None

    def stop(self):
        if self.tracker is not None:
            try:
                self.tracker.stop()
            except Exception as e:  # noqa: BLE001
                log("stopping task tracking failed", e)


def _all_tasks(loop):
    from asyncio_debugger.tasks.loops import all_tasks

    return all_tasks(loop) or []


def start(channel):
    """Install the task hooks and stream to `channel`; None if tracking cannot run here."""
    from asyncio_debugger import tasks

    live = LiveTasks(channel)
    try:
        live.tracker = tasks.start(live, interval=0.05)
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
