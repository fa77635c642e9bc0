"""A bounded in-memory history of batches: the oldest batches go first, and are counted.

Batches arrive as lists of record tuples (~250 bytes a record while live). Once the live ones pass
a quarter of the budget the oldest are marshalled (~85 bytes a record); once the marshalled ones
pass an eighth of it they are deflated together, as one lump (~11 bytes a record on step- and
task-heavy programs). Short recordings never pay for compaction, long ones stay within
`max_bytes`. Side objects are estimated; the registry of code objects and types is shared and not
counted (it grows with the program's code, not with its run time).

Deflating runs on a thread of its own. zlib releases the GIL for every block of output, and taking
it back from a program whose event loop releases and retakes it on every `select()` can take the
waiting thread tens of milliseconds each time: on the recorder's thread that would hold up the
flushes (and the recorder drops what piles up beyond its own bound). Lumps are large so that those
waits are few: the output blocks grow geometrically.
"""

import _thread
import marshal
import zlib
from collections import deque

from .recorder import Batch, Sink

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
LIVE_RECORD_BYTES = 250
OBJECT_BYTES = 200
# Higher levels save a byte or two a record for twice the CPU.
LEVEL = 1

# A chunk's life: LIVE (tuples), MARSHALLED (waiting for a lump), PACKING (in the lump a packer
# deflates), PACKED (settled for good: deflated; or marshalled, when it was a batch bigger than the
# budget or its lump failed), DROPPED.
LIVE, MARSHALLED, PACKING, PACKED, DROPPED = range(5)


class _Chunk:
    __slots__ = ("records", "data", "parts", "count", "objects", "now", "size", "state")

    def __init__(self, records, objects, now):
        self.records = records
        self.data = None
        self.parts = None  # PACKED: the length of each part's marshalled records in `data`
        self.count = len(records)
        self.objects = objects
        self.now = now
        self.state = LIVE
        self.size = self.count * LIVE_RECORD_BYTES + len(self.objects) * OBJECT_BYTES

    def marshal(self):
        self.data = marshal.dumps(self.records)
        self.records = None
        self.state = MARSHALLED
        self.size = len(self.data) + len(self.objects) * OBJECT_BYTES

    def load(self):
        if self.records is not None:
            return self.records
        if self.parts is None:
            return marshal.loads(self.data)
        raw = memoryview(zlib.decompress(self.data))
        records = []
        at = 0
        for n in self.parts:
            records += marshal.loads(raw[at : at + n])
            at += n
        return records


def _packed(lump, data):
    chunk = _Chunk((), [o for c in lump for o in c.objects], lump[-1].now)
    chunk.data = data
    chunk.parts = [len(c.data) for c in lump]
    chunk.count = sum(c.count for c in lump)
    chunk.state = PACKED
    chunk.size = len(data) + len(chunk.objects) * OBJECT_BYTES
    chunk.records = None
    return chunk


class ChunkStore(Sink):
    def __init__(self, max_bytes=DEFAULT_MAX_BYTES):
        self.max_bytes = max_bytes
        self.chunks = deque()
        self._live = deque()  # chunks still holding tuples, oldest first
        self._marshalled = deque()  # marshalled chunks waiting for a lump, oldest first
        self.bytes = 0
        self.live_bytes = 0
        self.marshalled_bytes = 0
        self.dropped = 0
        self.dropped_objects = 0
        self.peak_bytes = 0
        self.kept = 0
        self.lumps = 0
        # Held by whoever changes the chunks: the recorder's thread (write) and the packer's.
        self._lock = _thread.allocate_lock()
        # Held while a packer thread runs (one at a time).
        self._packing = _thread.allocate_lock()

    def write(self, batch):
        chunk = _Chunk(batch.records, batch.objects, batch.now)
        if chunk.size > self.max_bytes:
            self._shrink(chunk)
        with self._lock:
            self._add(chunk)
            lump = self._take_lump()
        if lump:
            try:
                _thread.start_new_thread(self._pack, (lump,))
            except RuntimeError:  # no thread to be had: deflate here
                self._pack(lump)

    def _add(self, chunk):
        if chunk.state != LIVE:
            # A batch bigger than the whole budget (shrunk): nothing older fits beside it, and
            # lumps stay runs of consecutive chunks.
            while self.chunks:
                self._drop(self.chunks.popleft())
        self.chunks.append(chunk)
        self.bytes += chunk.size
        self.kept += chunk.count
        if chunk.state == LIVE:
            self._live.append(chunk)
            self.live_bytes += chunk.size
        while self.live_bytes > self.max_bytes // 4 and len(self._live) > 1:
            old = self._live.popleft()
            before = old.size
            old.marshal()
            self.live_bytes -= before
            self.bytes += old.size - before
            self._marshalled.append(old)
            self.marshalled_bytes += old.size
        while self.bytes > self.max_bytes and len(self.chunks) > 1:
            self._drop(self.chunks.popleft())
        if self.bytes > self.peak_bytes:
            self.peak_bytes = self.bytes

    def _drop(self, old):
        if old.state == LIVE:
            self._live.remove(old)
            self.live_bytes -= old.size
        elif old.state == MARSHALLED:
            self._marshalled.remove(old)
            self.marshalled_bytes -= old.size
        old.state = DROPPED
        self.bytes -= old.size
        self.kept -= old.count
        self.dropped += old.count
        self.dropped_objects += len(old.objects)

    def _take_lump(self):
        if self.marshalled_bytes < self.max_bytes // 8 or not self._packing.acquire(False):
            return None
        lump = list(self._marshalled)
        self._marshalled.clear()
        self.marshalled_bytes = 0
        for c in lump:
            c.state = PACKING
        return lump

    def _pack(self, lump):
        """On its own thread: deflate a lump of consecutive marshalled chunks into one chunk."""
        try:
            packed = _packed(lump, zlib.compress(b"".join(c.data for c in lump), LEVEL))
            with self._lock:
                if lump[0].state == PACKING:
                    at = self.chunks.index(lump[0])
                    for _ in lump:
                        del self.chunks[at]
                    self.chunks.insert(at, packed)
                    self.bytes += packed.size - sum(c.size for c in lump)
                    self.lumps += 1
                else:
                    # Its oldest chunks were dropped meanwhile: the rest wait for the next lump.
                    rest = [c for c in lump if c.state == PACKING]
                    for c in reversed(rest):
                        c.state = MARSHALLED
                        self._marshalled.appendleft(c)
                        self.marshalled_bytes += c.size
        except BaseException:  # noqa: BLE001 - nothing may escape: the chunks stay marshalled
            with self._lock:
                for c in lump:
                    if c.state == PACKING:
                        c.state = PACKED
        finally:
            self._packing.release()

    def settle(self):
        """Wait for a running packer: what is read next is settled."""
        with self._packing:
            pass

    def close(self):
        self.settle()

    def _shrink(self, chunk):
        """One batch larger than the whole budget: marshal it, then keep its newest records."""
        chunk.marshal()
        while chunk.size > self.max_bytes and chunk.count > 1:
            records = chunk.load()
            keep = max(1, int(len(records) * self.max_bytes / chunk.size * 0.9))
            self.dropped += len(records) - keep
            chunk.records = records[-keep:]
            chunk.count = keep
            chunk.marshal()
        chunk.state = PACKED  # final: never part of a lump

    def __iter__(self):
        with self._lock:
            chunks = list(self.chunks)
        for chunk in chunks:
            yield Batch(chunk.load(), chunk.objects, chunk.now)

    def record_count(self):
        return self.kept
