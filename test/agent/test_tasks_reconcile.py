"""Tasks whose end was among dropped records do not stay pending forever (tasks/reconcile.py)."""

import asyncio
import unittest
from unittest import mock

from asyncio_debugger import live as live_mod
from test_live import FakeChannel, merged


def overflowing():
    """Patches that make the live model drop most of a burst's records."""
    return (
        mock.patch.object(live_mod, "FEED_BUDGET_NS", 0),
        mock.patch.object(live_mod, "MAX_BACKLOG_RECORDS", 300),
        mock.patch.object(live_mod, "FEED_CHUNK", 50),
    )


class TestReconcile(unittest.TestCase):
    def run_burst(self, keep):
        """A burst of short tasks that overflows the model, with `keep` tasks still waiting at a sync."""
        channel = FakeChannel()
        seen = {}

        async def main():
            release = asyncio.Event()
            waiting = [asyncio.create_task(release.wait(), name="kept-%d" % i) for i in range(keep)]
            for _ in range(20):
                await asyncio.gather(*(asyncio.sleep(0) for _ in range(500)))
                await asyncio.sleep(0.03)
            live.sync()
            seen["alive"] = {live.trace_id(t) for t in asyncio.all_tasks()}
            seen["event"] = len(channel.events)
            release.set()
            await asyncio.gather(*waiting)

        patches = overflowing()
        for p in patches:
            p.start()
        try:
            live = live_mod.start(channel)
            try:
                asyncio.run(main())
            finally:
                live.stop()
        finally:
            for p in patches:
                p.stop()
        return live, channel, seen

    def test_a_burst_that_overflows_leaves_no_ghost(self):
        live, channel, seen = self.run_burst(keep=5)
        self.assertGreater(live.dropped_counts()["records"], 0, "the burst overflowed")
        at_sync = FakeChannel()
        at_sync.events = channel.events[: seen["event"]]
        tasks, _, _ = merged(at_sync)
        pending = {i for i, t in tasks.items() if t["state"] == "pending"}
        # At the stop: exactly the tasks still alive are pending (main and the kept ones).
        self.assertEqual(pending, seen["alive"] - {None})
        self.assertEqual(len([t for t in tasks.values() if t["name"].startswith("kept-")]), 5)
        self.assertGreater(live.reconciler.ended, 0, "some ends were only known by reconciling")
        unknown = [t for t in tasks.values() if t["state"] == "unknown"]
        self.assertTrue(unknown)
        self.assertTrue(all(t["ended"] is not None for t in unknown))
        # After the program: nothing pending at all.
        tasks, _, _ = merged(channel)
        self.assertEqual([t for t in tasks.values() if t["state"] == "pending"], [])

    def test_a_task_whose_id_was_taken_over_is_ended_and_sent(self):
        from asyncio_debugger.tasks import codes
        from asyncio_debugger.tasks.recorder import Batch

        channel = FakeChannel()
        live = live_mod.LiveTasks(channel)
        raw = 0x1234

        def create(t, name):
            return (codes.CREATE, t, raw, 0, 1, 1, 0, 0, "work", 0, 0, name, 0)

        # The first task's DONE record was lost: a second task at the same id() hides it.
        def send(now):
            live.prune_at = 0  # prune on every event
            live._send(now)

        live._feed(Batch([create(10, "first")], (), 10))
        send(20)
        live._feed(Batch([create(30, "second")], (), 30))
        send(40)
        send(50)
        tasks, _, _ = merged(channel)
        states = {t["name"]: t["state"] for t in tasks.values()}
        self.assertEqual(states, {"first": "unknown", "second": "pending"})

    def test_a_task_masked_by_its_successor_at_the_check_is_ended_later(self):
        from asyncio_debugger.tasks import codes, reconcile
        from asyncio_debugger.tasks.recorder import Batch

        raw = 0x5678
        for force in (False, True):
            live = live_mod.LiveTasks(FakeChannel())
            create = lambda t, name: (codes.CREATE, t, raw, 0, 1, 1, 0, 0, "work", 0, 0, name, 0)  # noqa: E731
            with mock.patch.object(reconcile, "_live_task_ids", lambda: {raw}):
                live._feed(Batch([create(10, "first")], (), 10))
                live.dropped = 1  # the first task's DONE record
                # The check sees id(first) alive: the second task has it, its CREATE not fed yet.
                live._reconcile(1_000_000_000)
                self.assertIsNone(live.trace.tasks[1].ended)
                live._feed(Batch([create(30, "second")], (), 30))
                # No new drop since: a later check (or the stop's) still ends the first task.
                live._reconcile(2_000_000_000, force)
            self.assertEqual(live.trace.tasks[1].outcome, "unknown", "force=%s" % force)
            self.assertIsNone(live.trace.tasks[2].ended)

    def test_no_drop_no_unknown(self):
        channel = FakeChannel()

        async def main():
            await asyncio.gather(*(asyncio.sleep(0) for _ in range(200)))

        live = live_mod.start(channel)
        try:
            asyncio.run(main())
        finally:
            live.stop()
        tasks, _, _ = merged(channel)
        self.assertEqual(live.dropped_counts()["records"], 0)
        self.assertEqual({t["state"] for t in tasks.values()}, {"ok"})
        self.assertEqual(live.reconciler.ended, 0)


if __name__ == "__main__":
    unittest.main()
