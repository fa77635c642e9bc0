"""The recorder delivers every record once, also those a producer appends to a batch it took."""

import unittest
from unittest import mock

from asyncio_debugger.tasks import hooks
from asyncio_debugger.tasks.recorder import Recorder, Sink


class LateProducerSink(Sink):
    """Receives batches; while the first is delivered, a producer that loaded the taken list
    before the swap appends to it (a thread switch inside hooks' `_buf.append(...)`)."""

    def __init__(self, taken):
        self.taken = taken
        self.records = []

    def write(self, batch):
        if not self.records:
            self.taken.append(("late",))
        self.records.extend(batch.records)


class TestRecorder(unittest.TestCase):
    def test_a_record_appended_to_a_taken_batch_arrives_once(self):
        first = [("a",), ("b",)]
        batches = iter([(first, []), ([("c",)], [])])
        sink = LateProducerSink(first)
        recorder = Recorder(sink)
        with mock.patch.object(hooks, "take", lambda: next(batches)):
            recorder.flush()
            recorder.flush()
        self.assertEqual(sink.records, [("a",), ("b",), ("late",), ("c",)])


if __name__ == "__main__":
    unittest.main()
