"""The native trace file (docs/trace-format.md): tasks, futures, spans, edges, drop counts."""

import json

FORMAT = "asyncio-debugger-trace"
VERSION = 1


def _rel(t, t0):
    return None if t is None else t - t0


def _cancel(info, t0):
    if info is None:
        return None
    return {
        "task": info.get("by_task"),
        "site": info.get("site"),
        "stack": info.get("stack") or [],
        "via": info.get("via"),
        "while": info.get("while", "waiting"),
    }


def task_record(task, t0):
    return {
        "id": task.id,
        "name": task.name or "Task #%d" % task.id,
        "coroutine": task.coro,
        "site": task.site,
        "coroutine_file": task.code.co_filename if task.code is not None else None,
        "parent": task.parent,
        "group": task.group,
        "loop": task.loop,
        "thread": task.thread,
        "created": _rel(task.created, t0),
        "ended": _rel(task.ended, t0),
        "state": task.outcome or "pending",
        "type": task.type,
        "error": task.error,
        "cancelled_by": _cancel(task.cancel, t0),
        "reports": task.reports,
        "eager": bool(task.flags & 1),
        "late": bool(task.flags & 2),
        "steps": task.steps,
        "busy": task.busy,
    }


def future_record(fut, t0):
    return {
        "id": fut.id,
        "kind": fut.kind,
        "created": _rel(fut.created, t0),
        "site": fut.site,
        "resolved": _rel(fut.resolved, t0),
        "resolver": fut.resolver,
        "cancelled_by": _cancel(fut.cancel, t0),
    }


# One encoder for the whole file: json.dumps with separators builds a new one per call, which cost
# more than the encoding itself for a trace's million small items.
_encode = json.JSONEncoder(separators=(",", ":")).encode


def _dump(out, value):
    out.write(_encode(value))


def _write_list(out, items, encode=_encode, limit=64 * 1024):
    """A JSON array, one item a line, written in pieces of about `limit` characters."""
    out.write("[")
    sep = "\n"
    part, size = [], 0
    for item in items:
        text = encode(item)
        part.append(text)
        size += len(text)
        if size >= limit:
            out.write(sep + ",\n".join(part))
            sep = ",\n"
            part, size = [], 0
    if part:
        out.write(sep + ",\n".join(part))
    out.write("\n]")


def _edge_text(edge):
    # [kind, from, to, t]: kind is one of model.EDGE_KINDS, the rest ints.
    return '["%s",%d,%d,%d]' % edge


def _write_strings(out, column, chunk=16384):
    """A JSON array of short strings, written a chunk at a time."""
    out.write("[")
    for start in range(0, len(column), chunk):
        text = json.dumps(column[start : start + chunk], separators=(",", ":"))
        if start:
            out.write(",")
        out.write(text[1:-1])
    out.write("]")


def _write_ints(out, column, base, nullable=False, chunk=16384):
    """A JSON array of ints (minus `base`; 0 -> null when nullable) without a list in memory."""
    out.write("[")
    for start in range(0, len(column), chunk):
        part = column[start : start + chunk]
        if base is not None:
            if nullable:
                text = ",".join("null" if v == 0 else str(v - base) for v in part)
            else:
                text = ",".join(str(v - base) for v in part)
        else:
            text = ",".join(map(str, part))
        if start:
            out.write(",")
        out.write(text)
    out.write("]")


def write(trace, out, metadata):
    t0 = trace.t_first or 0
    referenced = {e[2] for e in trace.edges if e[0] == "await"}
    referenced.update(e[1] for e in trace.edges if e[0] == "wake")
    futures = [
        f for f in trace.futures.values() if f.id in referenced or f.cancel is not None
    ]
    meta = dict(metadata)
    meta["t0_ns"] = t0
    meta["duration_ns"] = (trace.t_last or t0) - t0
    meta["records"] = trace.records
    meta["futures_recorded"] = len(trace.futures)
    out.write('{"format":"%s","version":%d,\n"metadata":' % (FORMAT, VERSION))
    _dump(out, meta)
    out.write(',\n"tasks":')
    _write_list(out, (task_record(t, t0) for t in trace.tasks.values()))
    out.write(',\n"futures":')
    _write_list(out, (future_record(f, t0) for f in futures))
    ids, starts, ends, sched, woke, wkind, won, lines = trace.spans
    out.write(',\n"spans":{')
    columns = (
        ("task", ids, None),
        ("start", starts, t0),
        ("end", ends, t0),
        ("scheduled", sched, t0),
        ("woken_by", woke, None),
        ("awaits_id", won, None),
        ("line", lines, None),
    )
    for name, column, base in columns:
        out.write('\n"%s":' % name)
        _write_ints(out, column, base, nullable=name == "scheduled")
        out.write(",")
    out.write('\n"awaits_kind":')
    _write_strings(out, wkind)
    out.write("},\n\"edges\":")
    _write_list(out, ((kind, a, b, t - t0) for kind, a, b, t in trace.edges), _edge_text)
    out.write(",\n\"reports\":")
    _write_list(out, ([kind, obj, t - t0] for kind, obj, t in trace.reports))
    out.write("}\n")
