"""The record store (tasks/store.py): live tuples, then marshalled, then deflated in lumps; within
its budget, oldest dropped first and counted, and what it keeps reads back exactly."""

import types
import unittest

from asyncio_debugger.tasks import codes, store
from asyncio_debugger.tasks.recorder import Batch

BASE = 10**13
TASK = 0x7F3A_2C00_0000


def steps(start, n):
    """Records shaped like a busy program's steps: the start time encodes the sequence number."""
    out = []
    for i in range(start, start + n):
        t = BASE + i * 1000
        task = TASK + (i % 40) * 432
        fut = TASK + 0x10_0000 + (i * 7919 % 4096) * 96
        out.append((codes.STEP, t, task, t + 600, t - 250, fut, fut + 96, 0x5F00_1234, 0, 0, 42))
    return out


def write(s, start, n, objects=0):
    objs = [(codes.CANCEL_STACK, BASE + (start + k) * 1000, TASK, ()) for k in range(objects)]
    s.write(Batch(steps(start, n), objs, BASE + (start + n) * 1000))
    # Settled after every write: the packer thread keeps up in these tests however busy the machine.
    s.settle()


def read(s):
    s.close()
    records, objects = [], []
    for batch in s:
        records += batch.records
        objects += batch.objects
    return records, objects


def check_accounts(test, s):
    test.assertEqual(s.bytes, sum(c.size for c in s.chunks))
    test.assertEqual(s.kept, sum(c.count for c in s.chunks))
    test.assertEqual(s.live_bytes, sum(c.size for c in s.chunks if c.state == store.LIVE))
    test.assertLessEqual(s.bytes, s.max_bytes)


class TestRoundTrip(unittest.TestCase):
    def test_every_record_reads_back_in_order_through_all_three_forms(self):
        s = store.ChunkStore(8 << 20)
        total = 0
        states = set()
        for _ in range(60):
            write(s, total, 2000, objects=3)
            total += 2000
            check_accounts(self, s)
            states.update(c.state for c in s.chunks)
        self.assertEqual(states, {store.LIVE, store.MARSHALLED, store.PACKED}, "all three forms")
        self.assertGreater(s.lumps, 0)
        self.assertEqual(s.dropped, 0)
        records, objects = read(s)
        self.assertEqual(records, steps(0, total))
        self.assertEqual(len(objects), 60 * 3)
        self.assertEqual(s.record_count(), total)

    def test_deflated_lumps_hold_several_times_what_marshal_alone_would(self):
        s = store.ChunkStore(4 << 20)
        total = 0
        while not s.dropped:
            write(s, total, 5000)
            total += 5000
        check_accounts(self, s)
        packed = [c for c in s.chunks if c.state == store.PACKED]
        per_record = sum(c.size for c in packed) / sum(c.count for c in packed)
        self.assertLess(per_record, 30, "deflated records (marshal alone: ~90 bytes a record)")
        # Marshal alone would have held ~3 MB / 90 bytes + 1 MB / 250 bytes: about 40 000.
        self.assertGreater(total, 80_000)


class TestBudget(unittest.TestCase):
    def test_oldest_dropped_first_and_counted(self):
        s = store.ChunkStore(1 << 20)
        total = 0
        for _ in range(200):
            write(s, total, 3000, objects=1)
            total += 3000
            check_accounts(self, s)
        self.assertGreater(s.dropped, 0)
        self.assertGreater(s.dropped_objects, 0)
        self.assertLessEqual(s.peak_bytes, s.max_bytes)
        self.assertEqual(s.dropped + s.kept, total)
        records, objects = read(s)
        # What is kept is the newest part, whole and in order.
        self.assertEqual(records, steps(total - s.kept, s.kept))
        self.assertEqual(len(objects) + s.dropped_objects, 200)

    def test_a_batch_bigger_than_the_budget_keeps_its_newest_records(self):
        s = store.ChunkStore(1 << 20)
        write(s, 0, 1000)
        write(s, 1000, 200_000)
        check_accounts(self, s)
        self.assertEqual(s.dropped + s.kept, 201_000)
        records, _ = read(s)
        self.assertEqual(records, steps(201_000 - s.kept, s.kept))

    def test_a_lump_whose_oldest_chunks_were_dropped_while_deflating(self):
        s = store.ChunkStore(1 << 20)
        started = []
        real = store._thread.start_new_thread
        store._thread.start_new_thread = lambda fn, args: started.append((fn, args))
        try:
            total = 0
            while not started:
                write_unsettled(s, total, 3000)
                total += 3000
            # Deflating takes long: meanwhile the program fills the budget again.
            while not s.dropped:
                write_unsettled(s, total, 3000)
                total += 3000
        finally:
            store._thread.start_new_thread = real
        fn, args = started[0]
        fn(*args)
        check_accounts(self, s)
        self.assertEqual(s.dropped + s.kept, total)
        records, _ = read(s)
        self.assertEqual(records, steps(total - s.kept, s.kept))
        # The chunks of that lump that were not dropped wait for the next one.
        more = total
        for _ in range(20):
            write(s, more, 3000)
            more += 3000
        self.assertGreater(s.lumps, 0)
        records, _ = read(s)
        self.assertEqual(records, steps(more - s.kept, s.kept))

    def test_a_lump_that_cannot_be_deflated_stays_marshalled(self):
        def fail(data, level):
            raise MemoryError

        s = store.ChunkStore(1 << 20)
        real = store.zlib
        store.zlib = types.SimpleNamespace(compress=fail, decompress=real.decompress)
        try:
            total = 0
            while not s.dropped:
                write(s, total, 3000)
                total += 3000
                check_accounts(self, s)
        finally:
            store.zlib = real
        self.assertEqual(s.lumps, 0)
        self.assertEqual(s.dropped + s.kept, total)
        records, _ = read(s)
        self.assertEqual(records, steps(total - s.kept, s.kept))


def write_unsettled(s, start, n):
    s.write(Batch(steps(start, n), [], BASE + (start + n) * 1000))


if __name__ == "__main__":
    unittest.main()
