"""Record layouts shared by the hooks (producers) and everything that reads their output.

The hooks append one tuple per record: the kind, a `time.perf_counter_ns()` timestamp, then ints
and short strings only, so stored batches can be marshalled and deflated (~11 bytes a record
instead of ~250 as live tuples) and the store can bound memory by counting bytes.

Code objects and types never enter records: the hooks register them once in `Registry` and store
the key (their `id()`, kept unique because the registry holds them). Task, future and loop fields
are raw `id()`s; `model.py` turns them into sequential ids in stream order, which is what makes
raw-id reuse after garbage collection harmless.
"""

# kind, t, task, parent, loop, thread, site_code, site_lasti, coro_qualname, group, flags, name,
# coro_code   (the code the task's coroutine runs, 0 when it has none: steps' sites are in it)
CREATE = 1
# kind, t0, task, t1, scheduled_at, woken_by, waiting_on, waiting_on_type, resolver_code,
# resolver_lasti, suspended_lasti   (woken_by: the future whose completion scheduled this step, 0 for a plain
# step; resolver: the frame that completed it, i.e. the caller of call_soon; waiting_on_type is
# -1 when the task finished in this step, 0 with waiting_on 0 for a bare yield; suspended_lasti:
# the offset in the coroutine's code (CREATE's coro_code) where the step ended by suspending, i.e.
# the await it now waits on; -1 when unknown or when the task finished)
STEP = 2
# kind, t, task, outcome, type, name, error_text   (outcome: OK / ERROR / CANCELLED)
DONE = 3
# kind, t, future, creator_code, site_code, site_lasti
FUTURE = 4
# kind, t, future, site_code, site_lasti, current_task   (a cancelled future woke a task)
CANCEL = 5
# kind, t, future, report, name   (asyncio's own "never retrieved" / "destroyed pending" reports)
REPORT = 6
# kind, t, task, name   (still pending when recording stopped)
LIVE = 8
# kind, t, task, site_code, site_lasti, current_task   (3.12+: cancel() on a task that was not
# waiting on anything; see cancels.py)
CANCEL_TASK = 9

# CREATE flags
FLAG_EAGER = 1  # the first step ran inside create_task (3.12+ eager task factory)
FLAG_LATE = 2  # seen first at its first step: built as Task(...) without loop.create_task

OUTCOME_OK = 0
OUTCOME_ERROR = 1
OUTCOME_CANCELLED = 2

REPORT_NEVER_RETRIEVED = 1
REPORT_DESTROYED_PENDING = 2
REPORT_FUTURE_NEVER_RETRIEVED = 3

# Side objects (not marshallable), kept as tuples in a list next to the records:
#   (CANCEL_STACK, t, future or task, ((code, lasti), ...))   the stack of whoever cancelled
CANCEL_STACK = 101


class Registry:
    """Objects referred to from records by `id()`; holding them keeps those ids unique."""

    __slots__ = ("objects",)

    def __init__(self):
        self.objects = {}

    def get(self, key):
        return self.objects.get(key)
