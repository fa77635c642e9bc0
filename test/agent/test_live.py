"""Live task streaming in-process: deltas sent once each, bounded memory, drops counted."""

import asyncio
import unittest
from unittest import mock

from asyncio_debugger import live as live_mod
from asyncio_debugger import protocol
from asyncio_debugger.tasks import patch


def _line_of(text):
    with open(__file__, encoding="utf-8") as f:
        return next(n for n, line in enumerate(f, 1) if text in line and "_line_of" not in line)


class FakeChannel:
    def __init__(self):
        self.events = []

    def send_event(self, name, body):
        self.events.append((name, body))
        return True


def run_live(coro_fn):
    channel = FakeChannel()
    live = live_mod.start(channel)
    try:
        asyncio.run(coro_fn())
    finally:
        live.stop()
    return live, channel


def merged(channel):
    """The last record of every task and all spans and edges, as the adapter would collect them."""
    tasks, spans, edges = {}, [], []
    for name, body in channel.events:
        assert name == "tasks", name
        for record in body["tasks"]:
            tasks[record["id"]] = record
        columns = body["spans"]
        spans.extend(zip(columns["task"], columns["start"], columns["end"], columns["awaits_kind"]))
        edges.extend(body["edges"])
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
        self.assertTrue(all(0 <= s[1] <= s[2] for s in spans), "times are relative to t0 and ordered")
        self.assertIn(["parent", main["id"], names["consumer"]["id"]], [e[:3] for e in edges])
        self.assertIn("queue", {s[3] for s in spans if s[0] == names["consumer"]["id"]})

    def test_steps_carry_the_line_they_suspended_on(self):
        live, channel = run_live(pipeline)
        lines, files = {}, {}
        for _, body in channel.events:
            self.assertEqual(tuple(body["spans"]), protocol.SPAN_COLUMNS)
            columns = body["spans"]
            for task, line in zip(columns["task"], columns["line"]):
                lines.setdefault(task, []).append(line)
            for record in body["tasks"]:
                files[record["name"]] = (record["id"], record["coroutine_file"])
        consumer, file = files["consumer"]
        self.assertEqual(file, __file__)
        get = _line_of("(item := await queue.get())")
        # Every step but the last (which returned) suspended on queue.get().
        self.assertEqual(set(lines[consumer][:-1]), {get})
        self.assertEqual(lines[consumer][-1], 0)

    def test_memory_stays_bounded_with_many_short_tasks(self):
        async def churn():
            for _ in range(30):
                await asyncio.gather(*(asyncio.sleep(0) for _ in range(1000)))

        with mock.patch.object(live_mod, "PRUNE_AT", 2000):
            live, channel = run_live(churn)
        tasks, spans, _ = merged(channel)
        self.assertGreaterEqual(len(tasks) + live.dropped_counts()["records"], 30_000)
        self.assertLess(len(live.trace._by_raw), 10_000, "finished tasks and futures are forgotten")
        self.assertEqual(len(live.trace.spans[0]), 0, "sent spans are not kept")
        self.assertEqual(len(live.trace.edges), 0, "sent edges are not kept")

    def test_backlog_beyond_its_bound_is_dropped_and_counted(self):
        async def steps():
            for _ in range(20):
                await asyncio.gather(*(asyncio.sleep(0) for _ in range(500)))
                # Longer than the recorder's flush interval: the records arrive in many batches, so
                # the backlog holds several of them (only whole older batches are ever dropped).
                await asyncio.sleep(0.03)

        with mock.patch.object(live_mod, "FEED_BUDGET_NS", 0), mock.patch.object(
            live_mod, "MAX_BACKLOG_RECORDS", 300
        ), mock.patch.object(live_mod, "FEED_CHUNK", 50):
            live, channel = run_live(steps)
        last = channel.events[-1][1]
        self.assertGreater(live.dropped, 0)
        # The last event reports every drop: the model's backlog and (on a loaded machine) the recorder's own.
        self.assertEqual(last["dropped"]["records"], live.dropped_counts()["records"])
        self.assertGreaterEqual(last["dropped"]["records"], live.dropped)

    def test_trace_ids_and_find_task_while_running(self):
        found = {}

        async def probe():
            me = asyncio.current_task()
            live.flush()
            found["id"] = live.trace_id(me)
            found["task"] = live.find_task(found["id"])[0]

        channel = FakeChannel()
        live = live_mod.start(channel)
        try:
            asyncio.run(probe())
        finally:
            live.stop()
        self.assertIsInstance(found["id"], int)
        self.assertEqual(found["task"].get_coro().__qualname__, "TestLiveStream.test_trace_ids_and_find_task_while_running.<locals>.probe")


if __name__ == "__main__":
    unittest.main()
