"""Task tracking: every asyncio task and future, each step, and who waits on / wakes / cancels whom.

    tracker = tasks.start(sink)      # hooks on, recorder thread running
    tasks.snapshot()                 # live tasks and their await chains, any time
    tracker.stop()                   # hooks off, everything flushed into the sink

Only one tracker runs at a time (the hooks are process-wide).
"""

import os

from . import cancels, patch
from .recorder import DEFAULT_INTERVAL, DEFAULT_MAX_BATCH_RECORDS, Batch, Recorder, Sink
from .snapshot import snapshot
from .store import ChunkStore

__all__ = ["Batch", "ChunkStore", "Recorder", "Sink", "Tracker", "snapshot", "start"]


class Tracker:
    def __init__(self, sink, interval, max_batch_records):
        from . import hooks

        self.registry = hooks.registry
        self.recorder = Recorder(sink, interval, max_batch_records)
        self.sink = sink
        self.pid = os.getpid()

    def stop(self):
        """Remove the hooks and deliver the remaining records to the sink. Idempotent."""
        from . import hooks

        global _active
        if os.getpid() != self.pid:
            return  # a forked child: its recorder thread does not exist here
        if patch.installed():
            hooks.note_live_tasks()
        patch.uninstall()
        cancels.uninstall()
        self.recorder.stop()
        if _active is self:
            _active = None

    @property
    def dropped(self):
        return self.recorder.total_dropped


_active = None
_fork_hook = False


def _after_fork_in_child():
    # The recorder thread does not survive fork(): stop recording in the child rather than let
    # its batch grow with nobody to flush it. The child's tasks are not part of the trace.
    global _active
    if _active is not None:
        from . import hooks

        patch.uninstall()
        cancels.uninstall()
        hooks.take()
        _active = None


def start(
    sink, interval=DEFAULT_INTERVAL, max_batch_records=DEFAULT_MAX_BATCH_RECORDS, level="steps"
):
    """Install the hooks on every loop class and start delivering batches to `sink`.

    level "steps" (every step, future and cancel: the timeline's spans) or "lifecycle" (creation
    and completion only, a fraction of the cost; see lifecycle_hooks.py).

    Memory: at most `max_batch_records` (~250 bytes each) wait between two flushes; the sink
    bounds the rest.
    """
    global _active, _fork_hook
    tracker = Tracker(sink, interval, max_batch_records)
    if not patch.install(level):
        raise RuntimeError("task tracking is already running")
    cancels.install()
    if not _fork_hook and hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_after_fork_in_child)
        _fork_hook = True
    _active = tracker
    tracker.level = level
    tracker.recorder.start()
    return tracker
