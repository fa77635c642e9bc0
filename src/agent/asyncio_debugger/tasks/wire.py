"""The body of a `records` event: the hooks' raw records for the adapter to fold (docs/protocol.md).

Folding records into tasks costs ~1.8 µs a record in Python, on the program's process and under its
GIL; `marshal.dumps` of the same records costs ~0.2 µs (C code). So the agent sends the records as
they are and the adapter folds them (src/adapter/taskFold.ts mirrors model.py and fold.py).

Records refer to code objects and types by registry key (codes.py). Each key is described once per
encoder, with everything the fold needs of it: a code's file, name and line table (for
`sites.line_of`), the kinds model.py derives from it; a type's name and whether it is a Task or
gather's future.
"""

import base64
import json
import marshal
from types import CodeType

from . import codes, kinds, sites

_PLAIN = (int, str, type(None), bool)


class Encoder:
    """Turns recorder batches into the body of a `records` event (the caller adds `names`,
    `alive`, `dropped` and `paused`)."""

    def __init__(self, registry, t0):
        self.registry = registry
        self.t0 = t0
        # Keys described so far: the registry only grows, in insertion order.
        self._described = 0

    def encode(self, batches, now):
        records = []
        objects = []
        cuts = []
        for batch in batches:
            records += batch.records
            n = 0
            for obj in batch.objects:
                out = self._object(obj)
                if out is not None:
                    objects.append(out)
                    n += 1
            cuts.append([len(batch.records), n])
        code_infos, type_infos = self._describe()
        return {
            "t0": self.t0,
            "now": now - self.t0,
            "data": base64.b64encode(_dumps(records)).decode("ascii"),
            "objects": objects,
            # Side objects merge with their own batch's records (model.Trace.feed): the fold
            # needs the batch boundaries, as [records, objects] counts.
            "batches": cuts,
            "codes": code_infos,
            "types": type_infos,
        }

    def _object(self, obj):
        kind, t, raw, value = obj
        if kind != codes.CANCEL_STACK:
            return None  # model.Trace._object reads no other kind
        reg = self.registry.objects
        stack = []
        for code, lasti in value:
            key = id(code)
            if key not in reg:
                reg[key] = code
            stack.append([key, lasti])
        return [kind, t, raw, stack]

    def _describe(self):
        keys = _keys(self.registry.objects)
        new = keys[self._described :]
        self._described = len(keys)
        reg = self.registry.objects
        code_infos, type_infos = [], []
        for key in new:
            obj = reg.get(key)
            if type(obj) is CodeType:
                code_infos.append(describe_code(key, obj))
            elif isinstance(obj, type):
                type_infos.append(describe_type(key, obj))
        return code_infos, type_infos


def event_line(body):
    """The `records` event as the channel's ndjson line (`Channel.send_line`): what `send_event`
    would send, without JSON-escaping `data` (base64 needs none), which would cost more than
    marshalling the records did (~0.3 µs a record)."""
    rest = {k: v for k, v in body.items() if k != "data"}
    message = {"type": "event", "event": "records", "body": rest}
    head = json.dumps(message, separators=(",", ":"), default=repr)
    # head ends with the "}}" closing body and message: data goes in before them.
    return (head[:-2] + ',"data":"').encode("utf-8") + body["data"].encode("ascii") + b'"}}\n'


def describe_code(key, code):
    lines = []
    for start, end, line in code.co_lines():
        lines += (start, end, -1 if line is None else line)
    return {
        "key": key,
        "file": code.co_filename,
        "name": getattr(code, "co_qualname", code.co_name),
        "firstLine": code.co_firstlineno,
        "lines": lines,
        "futureKind": kinds.future_kind(code),
        "resolverKind": kinds.resolver_kind(code),
        "agent": sites.is_agent(code),
    }


def describe_type(key, t):
    from .model import _is_task_type

    return {
        "key": key,
        "name": sites.type_name(t),
        "task": bool(_is_task_type(t)),
        "gather": t.__name__ == "_GatheringFuture",
    }


def _keys(objects, attempts=3):
    """The registry's keys in insertion order; the hooks add to it from the program's threads."""
    for _ in range(attempts):
        try:
            return list(objects)
        except RuntimeError:  # changed size during iteration (a thread switch inside list())
            continue
    return list(objects.copy())


def _dumps(records):
    try:
        return marshal.dumps(records)
    except ValueError:
        # A field marshal refuses (a str subclass as a task name...): plain values instead.
        return marshal.dumps([tuple(_plain(v) for v in r) for r in records])


def _plain(value):
    if type(value) in _PLAIN:
        return value
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return int(value)
    return None
