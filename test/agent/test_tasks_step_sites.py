"""Each step carries where it ran: the line of the await its task's coroutine suspended on."""

import asyncio
import io
import json
import sys
import types
import unittest

from asyncio_debugger import tasks
from asyncio_debugger.tasks import chrome, model, native

HERE = __file__


def _line(marker):
    with open(HERE, encoding="utf-8") as f:
        for number, text in enumerate(f, 1):
            if text.rstrip().endswith("# " + marker):
                return number
    raise AssertionError(marker)


async def worker(queue):
    item = await queue.get()  # AWAIT_GET
    await asyncio.sleep(0)  # AWAIT_SLEEP
    return item


@types.coroutine
def legacy():
    yield  # LEGACY_YIELD
    return 2


async def main():
    queue = asyncio.Queue()
    task = asyncio.create_task(worker(queue), name="worker")
    await asyncio.sleep(0)  # MAIN_SLEEP
    queue.put_nowait(1)
    await task


def _record(coro_fn):
    store = tasks.ChunkStore(1 << 26)
    tracker = tasks.start(store)
    try:
        asyncio.run(coro_fn())
    finally:
        tracker.stop()
    return model.build(store, tracker.registry)


def _steps(trace, task_id):
    ids, lines = trace.spans[0], trace.spans[7]
    return [lines[i] for i in range(len(ids)) if ids[i] == task_id]


class TestStepSites(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.trace = _record(main)
        by_coro = {}
        for task in cls.trace.tasks.values():
            by_coro[task.coro.rsplit(".", 1)[-1]] = task
        cls.worker = by_coro["worker"]
        cls.main = by_coro["main"]

    def test_two_awaits_two_lines(self):
        # Suspended on queue.get(), then on sleep(0); the step that returned has no line.
        self.assertEqual(
            _steps(self.trace, self.worker.id), [_line("AWAIT_GET"), _line("AWAIT_SLEEP"), 0]
        )
        self.assertEqual(self.worker.code.co_filename, HERE)

    def test_main_steps(self):
        lines = _steps(self.trace, self.main.id)
        self.assertEqual(lines[0], _line("MAIN_SLEEP"))
        self.assertEqual(lines[-1], 0)

    def test_native_output(self):
        out = io.StringIO()
        native.write(self.trace, out, {})
        data = json.loads(out.getvalue())
        spans = data["spans"]
        self.assertEqual(len(spans["line"]), len(spans["task"]))
        record = next(t for t in data["tasks"] if t["id"] == self.worker.id)
        self.assertEqual(record["coroutine_file"], HERE)
        lines = [spans["line"][i] for i, t in enumerate(spans["task"]) if t == self.worker.id]
        self.assertEqual(lines, [_line("AWAIT_GET"), _line("AWAIT_SLEEP"), 0])

    def test_chrome_output(self):
        out = io.StringIO()
        chrome.write(self.trace, out, {})
        events = json.loads(out.getvalue())["traceEvents"]
        steps = [e for e in events if e["ph"] == "X" and e["tid"] == self.worker.id]
        self.assertEqual(
            [e["args"].get("site") for e in steps],
            ["%s:%d" % (HERE, _line("AWAIT_GET")), "%s:%d" % (HERE, _line("AWAIT_SLEEP")), None],
        )


@unittest.skipIf(sys.version_info >= (3, 12), "3.12 tasks accept native coroutines only")
class TestGeneratorCoroutine(unittest.TestCase):
    def test_generator_based_coroutine(self):
        async def run():
            await asyncio.get_running_loop().create_task(legacy())

        trace = _record(run)
        task = next(t for t in trace.tasks.values() if t.coro.endswith("legacy"))
        self.assertEqual(_steps(trace, task.id), [_line("LEGACY_YIELD"), 0])


@unittest.skipUnless(sys.version_info >= (3, 12), "eager task factories arrived in 3.12")
class TestEagerStepSite(unittest.TestCase):
    def test_eager_first_step(self):
        async def run():
            asyncio.get_running_loop().set_task_factory(asyncio.eager_task_factory)
            queue = asyncio.Queue()
            task = asyncio.create_task(worker(queue))
            queue.put_nowait(3)
            return await task

        trace = _record(run)
        task = next(t for t in trace.tasks.values() if t.coro.endswith("worker"))
        self.assertTrue(task.flags & 1)
        self.assertEqual(_steps(trace, task.id), [_line("AWAIT_GET"), _line("AWAIT_SLEEP"), 0])


if __name__ == "__main__":
    unittest.main()
