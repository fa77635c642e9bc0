"""Contract [A]: the adapter <-> agent protocol (docs/protocol.md).

Mirror of src/shared/agentProtocol.ts. Bump PROTOCOL_VERSION in both when a message changes.
"""

PROTOCOL_VERSION = 2
TOKEN_ENV = "ASYNCIO_DEBUGGER_TOKEN"
USER_PYTHONPATH_ENV = "ASYNCIO_DEBUGGER_USER_PYTHONPATH"

# Thread ids at or above this are asyncio tasks shown as threads (task tracking).
TASK_THREAD_BASE = 1_000_000

EXCEPTION_FILTERS = ("raised", "uncaught", "userUnhandled", "taskException", "taskCancelled")

REQUESTS = (
    "initialize",
    "setBreakpoints",
    "setFunctionBreakpoints",
    "setExceptionBreakpoints",
    "configurationDone",
    "threads",
    "stackTrace",
    "scopes",
    "variables",
    "setVariable",
    "evaluate",
    "continue",
    "next",
    "stepIn",
    "stepOut",
    "pause",
    "exceptionInfo",
    "disconnect",
    "cancelTask",
    "taskStacks",
    "breakOnCompletion",
    "dataBreakpointInfo",
    "setDataBreakpoints",
)

EVENTS = (
    "hello",
    "stopped",
    "continued",
    "breakpoint",
    "output",
    "thread",
    "programExit",
    "programError",
    "tasks",
)

# The span columns of a `tasks` event (docs/trace-format.md). `line` came later: readers treat a
# missing one as "no step lines".
SPAN_COLUMNS = ("task", "start", "end", "scheduled", "woken_by", "awaits_kind", "awaits_id", "line")

# The name of the task an `await` in evaluate runs as (debugger/await_eval.py). It is the
# debugger's own: the adapter leaves tasks with exactly this name out of the tasks it shows.
# Angle brackets, like Python's own pseudo-names: no program names a task this by accident.
EVALUATE_TASK_NAME = "<asyncio-debugger evaluate>"

# Task tracking (live.py): deltas at most this often while the program runs.
TASKS_EVENT_INTERVAL_MS = 100
