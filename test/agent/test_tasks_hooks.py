"""The hooks in-process: patches restored exactly, factories untouched, snapshot, no output."""

import asyncio
import contextlib
import io
import sys
import threading
import unittest
from asyncio import base_events

from asyncio_debugger import tasks
from asyncio_debugger.tasks import model

PATCHED = ("_call_soon", "create_task", "create_future", "call_exception_handler")


def run_recorded(coro_fn, store=None):
    store = store if store is not None else tasks.ChunkStore()
    tracker = tasks.start(store)
    try:
        result = asyncio.run(coro_fn())
    finally:
        tracker.stop()
    return result, model.build(store, tracker.registry), tracker


class TestInstall(unittest.TestCase):
    def test_restores_every_patched_attribute(self):
        before = {name: base_events.BaseEventLoop.__dict__[name] for name in PATCHED}
        meta_path = list(sys.meta_path)
        tracker = tasks.start(tasks.ChunkStore())
        try:
            for name in PATCHED:
                self.assertIsNot(base_events.BaseEventLoop.__dict__[name], before[name], name)
            with self.assertRaises(RuntimeError):
                tasks.start(tasks.ChunkStore())
        finally:
            tracker.stop()
        for name in PATCHED:
            self.assertIs(base_events.BaseEventLoop.__dict__[name], before[name], name)
        self.assertEqual(sys.meta_path, meta_path)
        tracker.stop()  # idempotent

    def test_user_factory_stays_visible_and_runs(self):
        seen = []

        def factory(loop, coro, **kwargs):
            seen.append(coro)
            return asyncio.Task(coro, loop=loop, **kwargs)

        async def child():
            return 7

        async def main():
            loop = asyncio.get_running_loop()
            self.assertIsNone(loop.get_task_factory())
            loop.set_task_factory(factory)
            self.assertIs(loop.get_task_factory(), factory)
            return await asyncio.gather(child(), child())

        result, trace, _ = run_recorded(main)
        self.assertEqual(result, [7, 7])
        # asyncio.run's own shutdown tasks go through the factory too.
        self.assertEqual(len([c for c in seen if c.__name__ == "child"]), 2)
        children = [t for t in trace.tasks.values() if t.coro and t.coro.endswith("<locals>.child")]
        self.assertEqual(len(children), 2)

    def test_threads_hidden_and_nothing_printed(self):
        out, err = io.StringIO(), io.StringIO()
        threads_before = threading.enumerate()

        async def main():
            await asyncio.gather(*(asyncio.sleep(0) for _ in range(10)))
            return threading.enumerate()

        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            threads_during, trace, _ = run_recorded(main)
        self.assertEqual(threads_during, threads_before)
        self.assertEqual(out.getvalue(), "")
        self.assertEqual(err.getvalue(), "")
        self.assertGreaterEqual(len(trace.tasks), 11)

    def test_direct_task_construction_is_seen(self):
        async def inner():
            await asyncio.sleep(0)
            return 1

        async def main():
            task = asyncio.Task(inner())  # not through loop.create_task
            return await task

        result, trace, _ = run_recorded(main)
        self.assertEqual(result, 1)
        (late,) = [t for t in trace.tasks.values() if t.coro and t.coro.endswith("inner")]
        self.assertTrue(late.flags & 2)
        (main_task,) = [t for t in trace.tasks.values() if t.coro and t.coro.endswith("main")]
        self.assertEqual(late.parent, main_task.id)
        self.assertEqual(late.steps, 2)


class TestSnapshot(unittest.TestCase):
    def test_live_tasks_with_await_chains(self):
        async def blocked(event):
            await event.wait()

        async def main():
            event = asyncio.Event()
            task = asyncio.create_task(blocked(event), name="blocked")
            await asyncio.sleep(0)
            snap = tasks.snapshot()
            event.set()
            await task
            return snap

        snap, _, _ = run_recorded(main)
        by_name = {s["name"]: s for s in snap}
        self.assertIn("blocked", by_name)
        blocked_snap = by_name["blocked"]
        self.assertEqual(blocked_snap["state"], "suspended")
        functions = [f["function"].rsplit(".", 1)[-1] for f in blocked_snap["chain"]]
        self.assertEqual(functions, ["blocked", "wait"])
        self.assertEqual(blocked_snap["waiting_on"]["kind"], "future")
        running = [s for s in snap if s["state"] == "running"]
        self.assertEqual(len(running), 1)


class TestModel(unittest.TestCase):
    def test_reused_raw_ids_become_distinct_tasks(self):
        async def short():
            return None

        async def main():
            for _ in range(200):
                await asyncio.create_task(short())

        _, trace, _ = run_recorded(main)
        shorts = [t for t in trace.tasks.values() if t.coro and t.coro.endswith("short")]
        self.assertEqual(len(shorts), 200)
        self.assertEqual(len({t.id for t in shorts}), 200)
        self.assertTrue(all(t.steps == 1 and t.outcome == "ok" for t in shorts))


if __name__ == "__main__":
    unittest.main()
