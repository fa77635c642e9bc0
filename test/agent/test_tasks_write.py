"""Large traces are written piece by piece (no whole-file string in memory) and stay valid."""

import asyncio
import io
import json
import unittest

from asyncio_debugger import tasks
from asyncio_debugger.tasks import chrome, model, native

TASKS = 30_000


class _Writes(io.StringIO):
    """Keeps the text and the largest single write."""

    largest = 0

    def write(self, text):
        self.largest = max(self.largest, len(text))
        return super().write(text)


def _recorded_trace():
    async def short(i):
        await asyncio.sleep(0)
        return i

    async def main():
        for start in range(0, TASKS, 1000):
            await asyncio.gather(*(short(i) for i in range(start, start + 1000)))

    # Room for every record even when a loaded machine delays the recorder's flushes.
    store = tasks.ChunkStore(1 << 30)
    tracker = tasks.start(store, max_batch_records=10_000_000)
    try:
        asyncio.run(main())
    finally:
        tracker.stop()
    # A heavily loaded machine can still make the recorder drop (counted) records; the counts below
    # are exact only when it did not. The write checks hold either way.
    return model.build(store, tracker.registry), tracker.dropped


class TestLargeTraces(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.trace, cls.dropped = _recorded_trace()

    def write(self, module):
        out = _Writes()
        module.write(self.trace, out, {"python": "test"})
        text = out.getvalue()
        # Every piece is a small part of the file: nothing builds the file (or a section) at once.
        self.assertGreater(len(text), 4_000_000)
        self.assertLess(out.largest, 256 * 1024, "largest single write")
        return json.loads(text)

    def test_native(self):
        data = self.write(native)
        shorts = [t for t in data["tasks"] if (t["coroutine"] or "").endswith("short")]
        spans = data["spans"]
        if not self.dropped:
            self.assertEqual(len(shorts), TASKS)
            self.assertGreaterEqual(len(spans["task"]), 2 * TASKS)
        self.assertEqual({len(column) for column in spans.values()}, {len(spans["task"])})
        self.assertIn("yield", spans["awaits_kind"])

    def test_chrome(self):
        data = self.write(chrome)
        steps = [e for e in data["traceEvents"] if e["ph"] == "X"]
        if not self.dropped:
            self.assertGreaterEqual(len(steps), 2 * TASKS)


if __name__ == "__main__":
    unittest.main()
