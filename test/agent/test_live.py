"""Live task streaming in-process: deltas sent once each, bounded memory, drops counted."""

import asyncio
import base64
import json
import marshal
import unittest
from unittest import mock

from asyncio_debugger import live as live_mod
from asyncio_debugger.tasks import hooks, model, native, patch
from asyncio_debugger.tasks.recorder import Batch


def _line_of(text):
    with open(__file__, encoding="utf-8") as f:
        return next(n for n, line in enumerate(f, 1) if text in line and "_line_of" not in line)


class FakeChannel:
    def __init__(self):
        self.events = []

    def send_event(self, name, body):
        self.events.append((name, body))
        return True

    def send_line(self, data):
        message = json.loads(data)
        return self.send_event(message["event"], message["body"])


def run_live(coro_fn, with_live=False):
    """Run `coro_fn()` (`coro_fn(live)` with with_live) under live tracking to a FakeChannel."""
    channel = FakeChannel()
    live = live_mod.start(channel)
    try:
        asyncio.run(coro_fn(live) if with_live else coro_fn())
    finally:
        live.stop()
    return live, channel


def decoded(channel):
    """Fold the `records` events with the agent's own model (what `record` uses; the adapter's
    fold is checked against it separately), after a JSON round trip like the real channel's."""
    trace = model.Trace(hooks.registry)
    reg = hooks.registry.objects
    described = set()
    for name, body in channel.events:
        assert name == "records", name
        body = json.loads(json.dumps(body))
        for desc in body["codes"] + body["types"]:
            assert desc["key"] not in described, "each registry object is described once"
            described.add(desc["key"])
        records = marshal.loads(base64.b64decode(body["data"]))
        objects = [(k, t, raw, tuple((reg[c], lasti) for c, lasti in stack)) for k, t, raw, stack in body["objects"]]
        start = 0
        for n_records, n_objects in body["batches"]:
            trace.feed(Batch(records[start : start + n_records], objects[:n_objects], body["now"]))
            start += n_records
            objects = objects[n_objects:]
        for raw, task_name in body.get("names", ()):
            info = trace._by_raw.get(raw)
            if isinstance(info, model.TaskInfo):
                info.name = task_name
    return trace, described


def merged(channel):
    trace, _ = decoded(channel)
    tasks = {i: native.task_record(info, 0) for i, info in trace.tasks.items()}
    ids, starts, ends, _sched, _woke, kinds, _won, _lines = trace.spans
    spans = list(zip(ids, starts, ends, kinds))
    edges = [list(e) for e in trace.edges]
    return tasks, spans, edges


async def pipeline():
    queue = asyncio.Queue(maxsize=1)

    async def producer():
        for i in range(20):
            await queue.put(i)
        await queue.put(None)

    async def consumer():
        total = 0
        while (item := await queue.get()) is not None:
            total += item
        return total

    p = asyncio.create_task(producer(), name="producer")
    c = asyncio.create_task(consumer(), name="consumer")
    await p
    return await c


class TestLiveStream(unittest.TestCase):
    def test_every_task_span_and_edge_arrives_once(self):
        live, channel = run_live(pipeline)
        self.assertFalse(patch.installed(), "hooks removed when tracking stops")
        tasks, spans, edges = merged(channel)
        names = {t["name"]: t for t in tasks.values()}
        self.assertEqual(names["producer"]["state"], "ok")
        self.assertEqual(names["consumer"]["state"], "ok")
        main = next(t for t in tasks.values() if t["coroutine"] == "pipeline")
        self.assertEqual(names["producer"]["parent"], main["id"])
        for task in tasks.values():
            self.assertEqual(sum(1 for s in spans if s[0] == task["id"]), task["steps"], task["name"])
        self.assertTrue(all(s[1] <= s[2] for s in spans))
        self.assertIn(["parent", main["id"], names["consumer"]["id"]], [e[:3] for e in edges])
        self.assertIn("queue", {s[3] for s in spans if s[0] == names["consumer"]["id"]})
        self.assertEqual(live.dropped_counts()["records"], 0)

    def test_codes_carry_what_the_adapter_needs_for_lines_and_kinds(self):
        live, channel = run_live(pipeline)
        descs = [desc for _, body in channel.events for desc in body["codes"]]

        def code(name, file_end):
            # co_qualname from 3.11, co_name before.
            return next(d for d in descs if d["name"].endswith(name) and d["file"].endswith(file_end))

        consumer = code("consumer", __file__)
        self.assertEqual(consumer["file"], __file__)
        get = _line_of("(item := await queue.get())")
        self.assertIn(get, consumer["lines"][2::3], "co_lines() as flat (start, end, line) triples")
        self.assertEqual(code("get", "queues.py")["futureKind"], "queue")
        # Every code object and type a record refers to was described in some event.
        trace, described = decoded(channel)
        for info in trace.tasks.values():
            if info.code is not None:
                self.assertIn(id(info.code), described)

    def test_names_given_after_creation_arrive(self):
        async def named():
            t = asyncio.create_task(asyncio.sleep(0.2), name="late-name")
            await asyncio.sleep(0.15)  # past one send while the task is alive
            await t

        live, channel = run_live(named)
        tasks, _, _ = merged(channel)
        self.assertIn("late-name", {t["name"] for t in tasks.values()})

    def test_pending_records_beyond_their_bound_are_dropped_and_counted_and_alive_follows(self):
        async def steps():
            keep = asyncio.create_task(asyncio.sleep(0.5), name="survivor")
            for _ in range(20):
                await asyncio.gather(*(asyncio.sleep(0) for _ in range(500)))
                await asyncio.sleep(0.03)
            await keep

        with mock.patch.object(live_mod, "MAX_PENDING_RECORDS", 300), mock.patch.object(
            live_mod, "SEND_INTERVAL_NS", 10**12
        ):
            live, channel = run_live(steps)
        last = channel.events[-1][1]
        self.assertGreater(live.dropped, 0)
        self.assertEqual(last["dropped"]["records"], live.dropped_counts()["records"])
        # After drops, the adapter learns which tasks are really alive: at the end nothing is.
        self.assertIn("alive", last)

    def test_alive_lists_live_tasks_with_names_and_coroutines(self):
        seen = {}

        async def probe(live):
            t = asyncio.create_task(asyncio.sleep(1), name="sleeper")
            await asyncio.sleep(0)
            live.dropped = 1  # as if records had been lost
            live.sync({"threadId": 1, "running": id(asyncio.current_task()), "tasks": []})
            seen["alive"] = live.channel.events[-1][1].get("alive")
            seen["raw"] = id(t)
            t.cancel()

        live, channel = run_live(probe, with_live=True)
        self.assertIn([seen["raw"], "sleeper", "sleep"], seen["alive"])
        self.assertTrue(any(body.get("paused", {}).get("threadId") == 1 for _, body in channel.events))

    def test_find_task_by_id_while_running(self):
        found = {}

        async def probe(live):
            me = asyncio.current_task()
            found["task"] = live.find_task(id(me))[0]
            found["me"] = me

        live, _channel = run_live(probe, with_live=True)
        self.assertIs(found["task"], found["me"])
        self.assertEqual(live.find_task(12345), (None, None))


if __name__ == "__main__":
    unittest.main()
