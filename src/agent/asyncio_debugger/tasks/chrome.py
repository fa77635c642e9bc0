"""Chrome Trace Event JSON (Perfetto, chrome://tracing): one track per task.

Each task is its own `tid` (named by a thread_name metadata event) inside one `pid` per event
loop; steps are complete ("X") events, creation/completion are instants, parent -> child and
waker -> woken are flow events. Times are microseconds from the first record.
"""

import json

_PID_BASE = 1


def _us(t, t0):
    return round((t - t0) / 1000.0, 3)


def _site(site):
    return "%s:%s" % (site["file"], site["line"]) if site else None


def write(trace, out, metadata):
    """Stream the trace to the text file `out` (memory stays flat on huge traces)."""
    t0 = trace.t_first or 0
    first = [True]
    # One encoder: json.dumps with separators builds a new one per call (most of the cost here).
    encode = json.JSONEncoder(separators=(",", ":")).encode

    def emit(event):
        out.write("\n" if first[0] else ",\n")
        first[0] = False
        out.write(encode(event))

    out.write('{"displayTimeUnit":"ms","otherData":')
    out.write(json.dumps(metadata, separators=(",", ":")))
    out.write(',"traceEvents":[')
    tasks = trace.tasks
    named = set()
    for task in tasks.values():
        pid = _PID_BASE + (task.loop or 0)
        if pid not in named:
            named.add(pid)
            label = "event loop %d (thread %s)" % (task.loop, task.thread) if task.loop else "tasks"
            emit({"ph": "M", "name": "process_name", "pid": pid, "tid": 0, "args": {"name": label}})
        name = task.name or "Task #%d" % task.id
        emit({"ph": "M", "name": "thread_name", "pid": pid, "tid": task.id,
              "args": {"name": "%s (%s)" % (name, task.coro) if task.coro else name}})  # fmt: skip
        emit({"ph": "M", "name": "thread_sort_index", "pid": pid, "tid": task.id,
              "args": {"sort_index": task.id}})  # fmt: skip
        args = {"task": task.id, "parent": task.parent, "group": task.group,
                "coroutine": task.coro, "site": _site(task.site)}  # fmt: skip
        if task.created is not None:
            emit({"ph": "i", "s": "t", "name": "created", "cat": "task", "pid": pid,
                  "tid": task.id, "ts": _us(task.created, t0), "args": args})  # fmt: skip
            if task.parent is not None and task.parent in tasks:
                parent = tasks[task.parent]
                ppid = _PID_BASE + (parent.loop or 0)
                ts = _us(task.created, t0)
                flow = {"name": "spawn", "cat": "parent", "id": task.id, "ts": ts}
                emit(dict(flow, ph="s", pid=ppid, tid=parent.id))
                emit(dict(flow, ph="f", bp="e", pid=pid, tid=task.id))
        if task.ended is not None:
            done = {"outcome": task.outcome, "type": task.type}
            if task.error:
                done["error"] = task.error
            if task.cancel:
                done["cancelled_by"] = task.cancel.get("by_task")
                done["cancel_site"] = _site(task.cancel.get("site"))
            if task.reports:
                done["reports"] = task.reports
            emit({"ph": "i", "s": "t", "name": task.outcome, "cat": "task", "pid": pid,
                  "tid": task.id, "ts": _us(task.ended, t0), "args": done})  # fmt: skip
    ids, starts, ends, sched, woke, wkind, won, lines = trace.spans
    flow_id = 1 << 40
    for i in range(len(ids)):
        task = tasks[ids[i]]
        pid = _PID_BASE + (task.loop or 0)
        args = {"delay_us": _us(starts[i], sched[i]) if sched[i] else None}
        if wkind[i]:
            args["awaits"] = wkind[i]
            if won[i]:
                args["awaits_id"] = won[i]
        if lines[i] and task.code is not None:
            args["site"] = "%s:%d" % (task.code.co_filename, lines[i])
        emit({"ph": "X", "name": task.coro or "step", "cat": "step", "pid": pid, "tid": task.id,
              "ts": _us(starts[i], t0), "dur": _us(ends[i], starts[i]), "args": args})  # fmt: skip
        waker = tasks.get(woke[i])
        if waker is not None and waker.ended is not None:
            # A finished task woke this one (await task / gather): draw the hand-over.
            flow_id += 1
            wpid = _PID_BASE + (waker.loop or 0)
            flow = {"name": "wake", "cat": "await", "id": flow_id}
            emit(dict(flow, ph="s", pid=wpid, tid=waker.id, ts=_us(waker.ended, t0)))
            emit(dict(flow, ph="f", bp="e", pid=pid, tid=task.id, ts=_us(starts[i], t0)))
    out.write("\n]}\n")
