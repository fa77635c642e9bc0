"""Turns the hooks' raw records into tasks, futures, spans and edges with stable ids.

Raw `id()`s are reused by CPython once an object is freed; walking the records in stream order and
starting a new incarnation at every CREATE/FUTURE record gives each object its own sequential id.
"""

import asyncio
from array import array
from asyncio import tasks as _tasks

from . import codes, fold, sites
from .kinds import future_kind, resolver_kind

_TASK_TYPES = tuple({asyncio.Task, getattr(_tasks, "_PyTask", asyncio.Task)})


class TaskInfo:
    __slots__ = (
        "id", "name", "coro", "site", "parent", "group", "loop", "thread", "created", "flags",
        "ended", "outcome", "type", "error", "cancel", "cancel_req", "reports", "steps", "busy",
        "last_woke", "children", "code",
    )  # fmt: skip

    def __init__(self, id_):
        self.id = id_
        self.name = None
        self.coro = None
        self.site = None
        self.parent = None
        self.group = None
        self.loop = None
        self.thread = None
        self.created = None
        self.flags = 0
        self.ended = None
        self.outcome = None
        self.type = None
        self.error = None
        self.cancel = None
        self.cancel_req = None  # cancel() seen while the task was not waiting (3.12+)
        self.reports = []
        self.steps = 0
        self.busy = 0
        self.last_woke = None
        self.children = 0
        self.code = None  # the coroutine's code: its steps' lines are offsets into it


class FutureInfo:
    __slots__ = ("id", "kind", "creator", "site", "created", "resolved", "resolver", "cancel")

    def __init__(self, id_):
        self.id = id_
        self.kind = "future"
        self.creator = None
        self.site = None
        self.created = None
        self.resolved = None
        self.resolver = None
        self.cancel = None


def q():
    return array("q")


EDGE_KINDS = ("parent", "await", "wake")


class Edges:
    """(kind, from, to, t) rows kept as columns; iterating yields tuples."""

    def __init__(self):
        self.kind = array("b")
        self.a = q()
        self.b = q()
        self.t = q()

    def append(self, row):
        kind, a, b, t = row
        self.kind.append(EDGE_KINDS.index(kind))
        self.a.append(a)
        self.b.append(b)
        self.t.append(t)

    def __len__(self):
        return len(self.kind)

    def __iter__(self):
        for i in range(len(self.kind)):
            yield EDGE_KINDS[self.kind[i]], self.a[i], self.b[i], self.t[i]

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return EDGE_KINDS[self.kind[i]], self.a[i], self.b[i], self.t[i]


class Trace:
    """Everything recorded, with ids stable within this trace."""

    def __init__(self, registry):
        self.registry = registry
        self.tasks = {}  # id -> TaskInfo
        self.futures = {}  # id -> FutureInfo
        self.groups = {}  # raw -> id
        self.loops = {}  # raw -> id
        self.threads = {}  # ident -> id
        # Spans as parallel columns (task, start, end, scheduled, woken_by, waits_kind,
        # waits_on, line): int64 arrays hold a million steps in ~50 MB instead of ~250 as lists.
        # line: where the step suspended in the task's coroutine (file: TaskInfo.code), 0 unknown.
        self.spans = (q(), q(), q(), q(), q(), [], q(), q())
        self.edges = Edges()
        self.reports = []  # (kind, object id, t)
        self.t_first = None
        self.t_last = None
        self.records = 0
        self._by_raw = {}
        self._next = 1
        self._orphans = {}  # parent raw -> [child TaskInfo] (children seen before their parent)
        self._wait_types = {}  # type key -> _WAIT_*
        self._creator_kinds = {}  # creator code -> future kind

    def _new_id(self):
        n = self._next
        self._next += 1
        return n

    def _task(self, raw):
        info = self._by_raw.get(raw)
        if isinstance(info, TaskInfo):
            return info
        info = TaskInfo(self._new_id())
        self.tasks[info.id] = info
        self._by_raw[raw] = info
        return info

    def _small_id(self, table, raw):
        n = table.get(raw)
        if n is None:
            n = table[raw] = len(table) + 1
        return n

    def _stamp(self, t):
        if self.t_first is None or t < self.t_first:
            self.t_first = t
        if self.t_last is None or t > self.t_last:
            self.t_last = t

    def feed(self, batch):
        if not batch.objects:
            fold.feed_records(self, batch.records)
            return
        objects = sorted(batch.objects, key=lambda o: o[1])
        oi = 0
        n_obj = len(objects)
        for r in batch.records:
            t = r[1]
            while oi < n_obj and objects[oi][1] < t:
                self._object(objects[oi])
                oi += 1
            self._record(r[0], r, 0)
            self.records += 1
            # Side objects (names, texts, stacks) complete the record with the same timestamp.
            while oi < n_obj and objects[oi][1] <= t:
                self._object(objects[oi])
                oi += 1
        while oi < n_obj:
            self._object(objects[oi])
            oi += 1

    def _object(self, obj):
        kind, _t, raw, value = obj
        if kind == codes.CANCEL_STACK:
            info = self._by_raw.get(raw)
            target = None
            if isinstance(info, FutureInfo):
                target = info.cancel
            elif isinstance(info, TaskInfo):
                target = info.cancel_req
            if target is not None:
                target["stack"] = [
                    sites.frame(c, lasti) for c, lasti in value if not sites.is_agent(c)
                ]

    def _record(self, kind, r, i):
        reg = self.registry.objects
        t = r[1]
        self._stamp(t)
        if kind == codes.STEP:
            self._step(r, reg)
        elif kind == codes.CREATE:
            self._create(r, reg)
        elif kind == codes.DONE:
            task = self._task(r[2])
            task.ended = t
            task.outcome = ("ok", "error", "cancelled")[r[3]]
            typ = reg.get(r[4]) if r[4] else None
            task.type = sites.type_name(typ) if typ is not None else None
            # An eager task can finish before create_task's caller names it: keep that name.
            if r[5] and not (task.name and r[5].startswith("Task-")):
                task.name = r[5]
            task.error = r[6]
            if task.outcome == "cancelled":
                task.cancel = self._who_cancelled(task)
        elif kind == codes.FUTURE:
            fut = FutureInfo(self._new_id())
            self.futures[fut.id] = fut
            self._by_raw[r[2]] = fut
            fut.created = t
            fut.creator = reg.get(r[3])
            fut.kind = future_kind(fut.creator)
            fut.site = sites.frame(reg.get(r[4]), r[5])
        elif kind == codes.CANCEL:
            fut = self._by_raw.get(r[2])
            if not isinstance(fut, FutureInfo):
                fut = self._anonymous_future(r[2])
            by = self._by_raw.get(r[5]) if r[5] else None
            fut.cancel = {
                "by_task": by.id if isinstance(by, TaskInfo) else None,
                "site": sites.frame(reg.get(r[3]), r[4]),
                "stack": [],
            }
        elif kind == codes.CANCEL_TASK:
            task = self._by_raw.get(r[2])
            if isinstance(task, TaskInfo):
                by = self._by_raw.get(r[5]) if r[5] else None
                task.cancel_req = {
                    "by_task": by.id if isinstance(by, TaskInfo) else None,
                    "site": sites.frame(reg.get(r[3]), r[4]),
                    "stack": [],
                    "while": "scheduled",
                }
        elif kind == codes.REPORT:
            info = self._by_raw.get(r[2])
            what = {
                codes.REPORT_NEVER_RETRIEVED: "exception_never_retrieved",
                codes.REPORT_DESTROYED_PENDING: "destroyed_pending",
                codes.REPORT_FUTURE_NEVER_RETRIEVED: "exception_never_retrieved",
            }[r[3]]
            if isinstance(info, TaskInfo):
                info.reports.append(what)
                if r[4]:
                    info.name = r[4]
            if info is not None:
                self.reports.append((what, info.id, t))
        elif kind == codes.LIVE:
            task = self._task(r[2])
            if task.ended is None:
                task.name = r[3]

    def _anonymous_future(self, raw):
        fut = FutureInfo(self._new_id())
        self.futures[fut.id] = fut
        self._by_raw[raw] = fut
        return fut

    def _create(self, r, reg):
        raw = r[2]
        task = TaskInfo(self._new_id())
        self.tasks[task.id] = task
        self._by_raw[raw] = task
        task.created = r[1]
        parent_raw = r[3]
        if parent_raw:
            parent = self._by_raw.get(parent_raw)
            if isinstance(parent, TaskInfo):
                task.parent = parent.id
                parent.children += 1
            else:
                self._orphans.setdefault(parent_raw, []).append(task)
        for child in self._orphans.pop(raw, ()):
            child.parent = task.id
            task.children += 1
            self.edges.append(("parent", task.id, child.id, child.created))
        task.loop = self._small_id(self.loops, r[4])
        task.thread = self._small_id(self.threads, r[5])
        task.site = sites.frame(reg.get(r[6]), r[7])
        task.coro = r[8]
        if r[9]:
            task.group = self._small_id(self.groups, r[9])
        task.flags = r[10]
        task.name = r[11]
        if r[12]:
            task.code = reg.get(r[12])
        if task.parent is not None:
            self.edges.append(("parent", task.parent, task.id, task.created))

    def _step(self, r, reg):
        task = self._task(r[2])
        t, t1 = r[1], r[3]
        self._stamp(t1)
        task.steps += 1
        task.busy += t1 - t
        woke = None
        if r[5]:
            woke = self._by_raw.get(r[5])
            if woke is None:
                woke = self._anonymous_future(r[5])
            if isinstance(woke, FutureInfo) and woke.resolved is None:
                woke.resolved = r[4]
                woke.resolver = sites.frame(reg.get(r[8]), r[9])
                if woke.creator is None:
                    woke.kind = resolver_kind(reg.get(r[8]))
        task.last_woke = woke
        wait_raw = r[6]
        wait_kind, wait_id = "", 0
        if wait_raw:
            wtype = reg.get(r[7])
            target = self._by_raw.get(wait_raw)
            if wtype is not None and _is_task_type(wtype):
                if isinstance(target, TaskInfo):
                    wait_kind, wait_id = "task", target.id
                else:
                    wait_kind = "task"
            elif wtype is not None and wtype.__name__ == "_GatheringFuture":
                wait_kind = "gather"
                if target is None:
                    target = self._anonymous_future(wait_raw)
                    target.kind = "gather"
                wait_id = target.id
            else:
                if not isinstance(target, FutureInfo):
                    target = self._anonymous_future(wait_raw)
                wait_kind, wait_id = target.kind, target.id
            if wait_id:
                self.edges.append(("await", task.id, wait_id, t1))
        elif r[7] == 0:
            wait_kind = "yield"
        s = self.spans
        s[0].append(task.id)
        s[1].append(t)
        s[2].append(t1)
        s[3].append(r[4] or 0)
        s[4].append(woke.id if woke is not None else 0)
        s[5].append(wait_kind)
        s[6].append(wait_id)
        s[7].append(step_line(task.code, r[10]))
        if woke is not None:
            self.edges.append(("wake", woke.id, task.id, t))

    def _who_cancelled(self, task, depth=0):
        woke = task.last_woke
        if isinstance(woke, FutureInfo) and woke.cancel is not None:
            return dict(woke.cancel, via=woke.id)
        if isinstance(woke, TaskInfo) and woke.outcome == "cancelled" and depth < 50:
            inner = woke.cancel or {}
            return dict(inner, via=woke.id)
        # cancel() on a task that was not waiting (scheduled, or not started) cancels no future:
        # only sys.monitoring (3.12+, cancels.py) sees who called it.
        if task.cancel_req is not None:
            return dict(task.cancel_req, via=None)
        return {"by_task": None, "site": None, "stack": [], "via": None, "while": "scheduled"}


def step_line(code, lasti):
    """The line a step suspended on (0 when unknown: no code, or the step finished the task)."""
    if code is None or lasti < 0:
        return 0
    return sites.line_of(code, lasti)


def _is_task_type(t):
    return issubclass(t, _TASK_TYPES) or t.__name__ == "Task"


def build(store, registry):
    trace = Trace(registry)
    for batch in store:
        trace.feed(batch)
    return trace
