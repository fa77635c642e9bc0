"""The "lifecycle" tracking level: CREATE and DONE records only, no step hooks."""

import asyncio
import sys
import unittest
from asyncio import base_events

from asyncio_debugger import tasks
from asyncio_debugger.tasks import codes, model

HAS_EAGER = sys.version_info >= (3, 12)


class ListSink(tasks.Sink):
    def __init__(self):
        self.batches = []

    def write(self, batch):
        self.batches.append(batch)

    def __iter__(self):
        return iter(self.batches)

    def kinds(self):
        return {r[0] for b in self.batches for r in b.records}


def run_lifecycle(coro_fn):
    sink = ListSink()
    tracker = tasks.start(sink, level="lifecycle")
    try:
        result = asyncio.run(coro_fn())
    finally:
        tracker.stop()
    return result, sink, model.build(sink, tracker.registry)


def named(trace, name):
    found = [t for t in trace.tasks.values() if t.name == name]
    assert len(found) == 1, (name, [t.name for t in trace.tasks.values()])
    return found[0]


async def child(n):
    await asyncio.sleep(0)
    if n == 1:
        raise ValueError("boom %d" % n)
    return n


class TestLifecycleLevel(unittest.TestCase):
    def test_installs_only_create_task_and_reports(self):
        cls = base_events.BaseEventLoop
        before = dict(cls.__dict__)
        tracker = tasks.start(ListSink(), level="lifecycle")
        try:
            for name in ("_call_soon", "create_future"):
                self.assertIs(cls.__dict__[name], before[name], name)
            for name in ("create_task", "call_exception_handler"):
                self.assertIsNot(cls.__dict__[name], before[name], name)
        finally:
            tracker.stop()
        for name in ("_call_soon", "create_task", "create_future", "call_exception_handler"):
            self.assertIs(cls.__dict__[name], before[name], name)

    def test_unknown_level_is_refused(self):
        with self.assertRaisesRegex(ValueError, "steps, lifecycle"):
            tasks.start(ListSink(), level="everything")
        # Nothing stays installed after the refusal.
        tasks.start(ListSink()).stop()

    def test_create_and_done_with_outcomes_and_parents(self):
        async def main():
            ts = [asyncio.create_task(child(i), name="c%d" % i) for i in range(3)]
            ts.append(asyncio.create_task(asyncio.sleep(10), name="slow"))
            await asyncio.sleep(0)
            ts[-1].cancel()
            return await asyncio.gather(*ts, return_exceptions=True)

        result, sink, trace = run_lifecycle(main)
        self.assertEqual(result[0], 0)
        self.assertEqual(sink.kinds(), {codes.CREATE, codes.DONE})
        main_task = [t for t in trace.tasks.values() if t.coro.endswith("parents.<locals>.main")]
        self.assertEqual(len(main_task), 1)
        self.assertEqual(main_task[0].outcome, "ok")
        for name, outcome in (("c0", "ok"), ("c1", "error"), ("c2", "ok"), ("slow", "cancelled")):
            t = named(trace, name)
            self.assertEqual(t.outcome, outcome, name)
            self.assertEqual(t.parent, main_task[0].id, name)
            self.assertEqual(t.steps, 0, name)
        self.assertEqual(named(trace, "c1").error, "boom 1")
        self.assertEqual(len(trace.spans[0]), 0)

    @unittest.skipUnless(HAS_EAGER, "eager task factories are 3.12+")
    def test_eager_tasks(self):
        async def quick():
            return 5

        async def main():
            asyncio.get_running_loop().set_task_factory(asyncio.eager_task_factory)
            a = asyncio.create_task(quick(), name="quick")
            b = asyncio.create_task(child(0), name="suspends")
            self.assertTrue(a.done())
            return await a + await b

        result, sink, trace = run_lifecycle(main)
        self.assertEqual(result, 5)
        self.assertEqual(sink.kinds(), {codes.CREATE, codes.DONE})
        quick_t = named(trace, "quick")
        self.assertEqual((quick_t.outcome, bool(quick_t.flags & codes.FLAG_EAGER)), ("ok", True))
        suspends = named(trace, "suspends")
        self.assertEqual(suspends.outcome, "ok")
        self.assertTrue(suspends.flags & codes.FLAG_EAGER)

    def test_cancelled_by_another_task(self):
        async def victim():
            await asyncio.sleep(10)

        async def canceller():
            v = asyncio.create_task(victim(), name="victim")
            v.cancel()
            return v

        async def main():
            v = await asyncio.create_task(canceller(), name="canceller")
            try:
                await v
            except asyncio.CancelledError:
                return "cancelled"

        result, sink, trace = run_lifecycle(main)
        self.assertEqual(result, "cancelled")
        self.assertEqual(named(trace, "victim").outcome, "cancelled")
        if HAS_EAGER:
            # victim never ran: cancel() found it scheduled, which sys.monitoring sees (3.12+).
            who = named(trace, "victim").cancel
            self.assertEqual(who["by_task"], named(trace, "canceller").id)
            self.assertEqual(sink.kinds(), {codes.CREATE, codes.DONE, codes.CANCEL_TASK})
        else:
            self.assertEqual(sink.kinds(), {codes.CREATE, codes.DONE})

    def test_done_listeners_called(self):
        from asyncio_debugger.tasks import hooks

        seen = []
        hooks.add_done_listener(lambda t: seen.append(t.get_name()))
        try:

            async def main():
                await asyncio.create_task(child(0), name="listened")

            run_lifecycle(main)
        finally:
            hooks._done_listeners = ()
        self.assertIn("listened", seen)


if __name__ == "__main__":
    unittest.main()
