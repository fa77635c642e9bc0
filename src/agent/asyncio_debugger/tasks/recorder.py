"""Moves record batches from the hooks to a sink on a hidden daemon thread, every <= 50 ms.

Sinks see `Batch` objects (a list of record tuples, a list of side objects, the time of the
flush). A sink that keeps data must bound it itself and count what it throws away in `dropped`;
the recorder bounds what piles up between two flushes.
"""

import _thread
import time

from . import hooks

DEFAULT_INTERVAL = 0.02
# More than this between two flushes means the flusher could not keep up (or could not run):
# keep the newest records and count the others. ~250 bytes a record while in a batch.
DEFAULT_MAX_BATCH_RECORDS = 64_000


class Batch:
    __slots__ = ("records", "objects", "now")

    def __init__(self, records, objects, now):
        self.records = records
        self.objects = objects
        self.now = now


class Sink:
    """What the recorder feeds. `write` runs on the recorder thread (or the stopping thread)."""

    dropped = 0

    def write(self, batch):
        raise NotImplementedError

    def close(self):
        pass


class Recorder:
    def __init__(
        self, sink, interval=DEFAULT_INTERVAL, max_batch_records=DEFAULT_MAX_BATCH_RECORDS
    ):
        self.sink = sink
        self.interval = interval
        self.max_batch_records = max_batch_records
        self.dropped = 0
        self.batches = 0
        self.records = 0
        self.thread_ident = None
        self._stop = _thread.allocate_lock()
        self._stop.acquire()
        self._done = _thread.allocate_lock()
        self._flush_lock = _thread.allocate_lock()
        # The previous batch and how much of it was delivered: a producer that loaded the old
        # list just before the swap may still append to it.
        self._prev = None
        self._running = False
        self._closed = False

    def start(self):
        if self._running:
            return
        self._running = True
        self._done.acquire()
        # _thread, not threading: the program's threading.enumerate() must not list it.
        _thread.start_new_thread(self._loop, ())

    def _loop(self):
        self.thread_ident = _thread.get_ident()
        try:
            while not self._stop.acquire(True, self.interval):
                self.flush()
        except BaseException:  # noqa: BLE001 - nothing may escape into the program
            pass
        finally:
            self._done.release()

    def flush(self):
        with self._flush_lock:
            late_records = late_objects = None
            if self._prev is not None:
                records, n, objects, m = self._prev
                if len(records) > n:
                    late_records = records[n:]
                if len(objects) > m:
                    late_objects = objects[m:]
            taken, taken_objects = hooks.take()
            n, m = len(taken), len(taken_objects)
            self._prev = (taken, n, taken_objects, m)
            # Copies: what a producer appends to the taken lists from now on goes with the next
            # batch, so this one must not see it too (it would be delivered twice).
            records = taken[:n]
            objects = taken_objects[:m]
            if late_records:
                records = late_records + records
            if late_objects:
                objects = late_objects + objects
            if not records and not objects:
                return
            if len(records) > self.max_batch_records:
                self.dropped += len(records) - self.max_batch_records
                records = records[-self.max_batch_records :]
            self.batches += 1
            self.records += len(records)
            self.sink.write(Batch(records, objects, time.perf_counter_ns()))

    def stop(self):
        """Stop the thread and deliver everything recorded so far. Idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._running:
            self._running = False
            self._stop.release()
            self._done.acquire()
            self._done.release()
        self.flush()
        self.flush()
        self.sink.close()

    @property
    def total_dropped(self):
        return self.dropped + getattr(self.sink, "dropped", 0)
