"""Ends the tasks the live model still believes pending after the records of their end were dropped.

When the recorder or the live model drops records (docs/protocol.md, `dropped`), a task's DONE
record may be among them: without this, the task would stay "pending" in the model, the tree and the
timeline forever. After new drops (and for a few seconds more, and on every stop once anything was
dropped), the model's pending tasks are checked against the truth,
`asyncio.all_tasks()` of every loop still open: a task that is not there has finished, with an
outcome nobody recorded. It gets the state `unknown` and its end is the time of the check (an upper
bound). Should its DONE record arrive after all (it was only late), the model records the real
outcome over it.

Runs under the live model's lock (on the recorder thread, or on the channel's thread for `sync`), so
the model cannot change meanwhile; `all_tasks` is read after the model's pending set was fixed, so a
task the model knows of and that is still alive is always in it.
"""

from . import model
from .loops import all_tasks, open_loops

UNKNOWN = "unknown"
# While records keep being dropped, check at most this often (a check walks every task once).
MIN_INTERVAL_NS = 500_000_000
# And for this long after the last new drop: a finished task whose id() a new task already had
# looked alive, until the new one's records arrived.
SETTLE_NS = 5_000_000_000


def _live_task_ids():
    """id() of every task of every open loop the hooks saw; None if a set could not be read."""
    out = set()
    for loop in open_loops():
        tasks = all_tasks(loop)
        if tasks is None:
            return None
        out.update(id(t) for t in tasks)
    return out


class Reconciler:
    def __init__(self):
        self.seen_dropped = 0
        self.last_check = 0
        self.last_drop = 0  # when a check last saw the drop count grow
        self.ended = 0  # tasks this has ended so far

    def check(self, trace, dropped, now, changed, force=False):
        """After drops, end the ghosts; their ids go into `changed`. `force` (a stop, the end):
        check whenever anything was ever dropped."""
        if dropped == 0:
            return 0
        grew = dropped > self.seen_dropped
        if not force:
            settling = now - self.last_drop < SETTLE_NS
            if not (grew or settling) or now - self.last_check < MIN_INTERVAL_NS:
                return 0
        alive = _live_task_ids()
        if alive is None:
            return 0
        if grew:
            self.last_drop = now
        self.seen_dropped = dropped
        self.last_check = now
        return self._end_ghosts(trace, alive, now, changed)

    def _end_ghosts(self, trace, alive, now, changed):
        task_type = model.TaskInfo
        reachable = set()
        n = 0
        for raw, info in trace._by_raw.items():
            if type(info) is not task_type or info.ended is not None:
                continue
            reachable.add(info.id)
            if raw not in alive:
                _end(info, now)
                changed.add(info.id)
                n += 1
        # A task whose id() a newer object took over (its end was dropped, the id reused) is no
        # longer reachable by id(): it cannot be alive.
        for info in trace.tasks.values():
            if info.ended is None and info.id not in reachable:
                _end(info, now)
                changed.add(info.id)
                n += 1
        self.ended += n
        return n


    def keep_superseded(self, old_tasks, new_tasks, now, changed):
        """On a prune: pending tasks left out (their id() was taken over, so their end was never
        recorded, or they were destroyed pending) are ended and kept until the next event says so."""
        n = 0
        for info in old_tasks.values():
            if info.ended is None and info.id not in new_tasks:
                _end(info, now)
                new_tasks[info.id] = info
                changed.add(info.id)
                n += 1
        self.ended += n
        return n


def _end(info, now):
    info.ended = now
    info.outcome = UNKNOWN
