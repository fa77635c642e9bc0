"""A bounded in-memory history of batches: the oldest batches go first, and are counted.

Batches arrive as lists of record tuples (~250 bytes a record while live). Once the live ones pass
a quarter of the budget the oldest are marshalled (~70 bytes a record): short recordings never
pay for compaction, long ones stay within `max_bytes`. Side objects are estimated; the registry
of code objects and types is shared and not counted (it grows with the program's code, not with
its run time).
"""

import marshal
from collections import deque

from .recorder import Batch, Sink

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
LIVE_RECORD_BYTES = 250
OBJECT_BYTES = 200


class _Chunk:
    __slots__ = ("records", "data", "count", "objects", "now", "size")

    def __init__(self, batch):
        self.records = batch.records
        self.data = None
        self.count = len(batch.records)
        self.objects = batch.objects
        self.now = batch.now
        self.size = self.count * LIVE_RECORD_BYTES + len(self.objects) * OBJECT_BYTES

    def compact(self):
        self.data = marshal.dumps(self.records)
        self.records = None
        self.size = len(self.data) + len(self.objects) * OBJECT_BYTES

    def load(self):
        return self.records if self.records is not None else marshal.loads(self.data)


class ChunkStore(Sink):
    def __init__(self, max_bytes=DEFAULT_MAX_BYTES):
        self.max_bytes = max_bytes
        self.chunks = deque()
        self._live = deque()  # chunks still holding tuples, oldest first
        self.bytes = 0
        self.live_bytes = 0
        self.dropped = 0
        self.dropped_objects = 0
        self.peak_bytes = 0
        self.kept = 0

    def write(self, batch):
        chunk = _Chunk(batch)
        if chunk.size > self.max_bytes:
            self._shrink(chunk)
        self.chunks.append(chunk)
        self.bytes += chunk.size
        self.kept += chunk.count
        if chunk.records is not None:
            self._live.append(chunk)
            self.live_bytes += chunk.size
        while self.live_bytes > self.max_bytes // 4 and len(self._live) > 1:
            old = self._live.popleft()
            before = old.size
            old.compact()
            self.live_bytes -= before
            self.bytes += old.size - before
        while self.bytes > self.max_bytes and len(self.chunks) > 1:
            old = self.chunks.popleft()
            if old.records is not None:
                self._live.remove(old)
                self.live_bytes -= old.size
            self.bytes -= old.size
            self.kept -= old.count
            self.dropped += old.count
            self.dropped_objects += len(old.objects)
        if self.bytes > self.peak_bytes:
            self.peak_bytes = self.bytes

    def _shrink(self, chunk):
        """One batch larger than the whole budget: compact it, then keep its newest records."""
        chunk.compact()
        while chunk.size > self.max_bytes and chunk.count > 1:
            records = marshal.loads(chunk.data)
            keep = max(1, int(len(records) * self.max_bytes / chunk.size * 0.9))
            self.dropped += len(records) - keep
            chunk.records = records[-keep:]
            chunk.count = keep
            chunk.compact()

    def __iter__(self):
        for chunk in list(self.chunks):
            yield Batch(chunk.load(), chunk.objects, chunk.now)

    def record_count(self):
        return self.kept
