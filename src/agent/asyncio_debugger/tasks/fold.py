"""The fast path of `Trace.feed`: steps and futures (nearly all records) folded in one loop.

The live view folds records while the program runs, so this loop is on its critical path: the
step and future cases of `Trace._record` are inlined here with everything bound to locals.
"""

from . import codes, sites
from .kinds import future_kind, resolver_kind

_WAIT_FUTURE, _WAIT_TASK, _WAIT_GATHER = 0, 1, 2


def _wait_category(wtype):
    if wtype is not None and model._is_task_type(wtype):
        return _WAIT_TASK
    if wtype is not None and wtype.__name__ == "_GatheringFuture":
        return _WAIT_GATHER
    return _WAIT_FUTURE


def feed_records(trace, records):
    """`trace._record` for every record (a batch without side objects)."""
    TaskInfo, FutureInfo = model.TaskInfo, model.FutureInfo
    STEP, FUTURE = codes.STEP, codes.FUTURE
    by_raw = trace._by_raw
    reg = trace.registry.objects
    s_task, s_start, s_end, s_sched, s_woke, s_kind, s_wait, s_line = trace.spans
    line_of = sites.line_of
    edges = trace.edges
    e_kind, e_a, e_b, e_t = edges.kind, edges.a, edges.b, edges.t
    frame = sites.frame
    wait_types = trace._wait_types
    creator_kinds = trace._creator_kinds
    lo = hi = None
    for r in records:
        kind = r[0]
        if kind == STEP:
            raw = r[2]
            task = by_raw.get(raw)
            if type(task) is not TaskInfo:
                task = trace._task(raw)
            t, t1 = r[1], r[3]
            if lo is None or t < lo:
                lo = t
            if hi is None or t1 > hi:
                hi = t1
            task.steps += 1
            task.busy += t1 - t
            woke = None
            if r[5]:
                woke = by_raw.get(r[5])
                if woke is None:
                    woke = trace._anonymous_future(r[5])
                if type(woke) is FutureInfo and woke.resolved is None:
                    woke.resolved = r[4]
                    woke.resolver = frame(reg.get(r[8]), r[9])
                    if woke.creator is None:
                        woke.kind = resolver_kind(reg.get(r[8]))
            task.last_woke = woke
            wait_raw = r[6]
            wait_kind, wait_id = "", 0
            if wait_raw:
                wt = r[7]
                category = wait_types.get(wt)
                if category is None:
                    category = wait_types[wt] = _wait_category(reg.get(wt))
                target = by_raw.get(wait_raw)
                if category == _WAIT_TASK:
                    wait_kind = "task"
                    if type(target) is TaskInfo:
                        wait_id = target.id
                elif category == _WAIT_GATHER:
                    wait_kind = "gather"
                    if target is None:
                        target = trace._anonymous_future(wait_raw)
                        target.kind = "gather"
                    wait_id = target.id
                else:
                    if type(target) is not FutureInfo:
                        target = trace._anonymous_future(wait_raw)
                    wait_kind, wait_id = target.kind, target.id
                if wait_id:
                    e_kind.append(1)  # await
                    e_a.append(task.id)
                    e_b.append(wait_id)
                    e_t.append(t1)
            elif r[7] == 0:
                wait_kind = "yield"
            s_task.append(task.id)
            s_start.append(t)
            s_end.append(t1)
            s_sched.append(r[4] or 0)
            s_woke.append(woke.id if woke is not None else 0)
            s_kind.append(wait_kind)
            s_wait.append(wait_id)
            code = task.code
            s_line.append(line_of(code, r[10]) if code is not None and r[10] >= 0 else 0)
            if woke is not None:
                e_kind.append(2)  # wake
                e_a.append(woke.id)
                e_b.append(task.id)
                e_t.append(t)
        elif kind == FUTURE:
            t = r[1]
            if lo is None or t < lo:
                lo = t
            if hi is None or t > hi:
                hi = t
            fut = FutureInfo(trace._new_id())
            trace.futures[fut.id] = fut
            by_raw[r[2]] = fut
            fut.created = t
            creator = fut.creator = reg.get(r[3])
            fk = creator_kinds.get(creator)
            if fk is None:
                fk = creator_kinds[creator] = future_kind(creator)
            fut.kind = fk
            fut.site = frame(reg.get(r[4]), r[5])
        else:
            trace._record(kind, r, 0)
    trace.records += len(records)
    if lo is not None:
        trace._stamp(lo)
        trace._stamp(hi)


from . import model  # noqa: E402 - model imports this module
