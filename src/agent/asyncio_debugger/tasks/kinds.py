"""What kind of thing a task waits on ("queue", "sleep", "lock"...), from asyncio's own code that
created the future it awaits or, for futures made elsewhere, the code that completed it."""

import asyncio

from . import sites

# What a task waits on, from the code that created the awaited future.
_CREATOR_KINDS = {
    ("queues.py", "get"): "queue",
    ("queues.py", "put"): "queue",
    ("queues.py", "join"): "queue",
    ("tasks.py", "sleep"): "sleep",
    ("tasks.py", "shield"): "shield",
    ("tasks.py", "_wait"): "wait",
    ("tasks.py", "wait_for"): "wait_for",
    ("tasks.py", "_cancel_and_wait"): "wait_for",
    ("tasks.py", "as_completed"): "as_completed",
    ("locks.py", "acquire"): "lock",
    ("locks.py", "wait"): "event",
    ("locks.py", "_block"): "barrier",
    ("taskgroups.py", "__aexit__"): "taskgroup",
    ("taskgroups.py", "_aexit"): "taskgroup",
    ("streams.py", "_wait_for_data"): "stream",
    ("streams.py", "_drain_helper"): "stream",
    ("selector_events.py", "sock_recv"): "socket",
    ("selector_events.py", "sock_sendall"): "socket",
    ("selector_events.py", "sock_accept"): "socket",
    ("selector_events.py", "sock_connect"): "socket",
    ("base_events.py", "run_in_executor"): "executor",
    ("futures.py", "wrap_future"): "executor",
}
_QUALNAME_KINDS = {
    "Semaphore.acquire": "semaphore",
    "Condition.wait": "condition",
    "Event.wait": "event",
    "Lock.acquire": "lock",
}


def _code_kinds():
    """Code object -> kind for asyncio's own callers of create_future (exact on every version)."""
    spots = (
        ("queues.Queue.get", "queue"), ("queues.Queue.put", "queue"),
        ("queues.Queue.join", "queue"),
        ("tasks.sleep", "sleep"), ("tasks.shield", "shield"), ("tasks._wait", "wait"),
        ("tasks.wait_for", "wait_for"), ("tasks._cancel_and_wait", "wait_for"),
        ("locks.Lock.acquire", "lock"), ("locks.Semaphore.acquire", "semaphore"),
        ("locks.Event.wait", "event"), ("locks.Condition.wait", "condition"),
        ("locks.Barrier._block", "barrier"), ("taskgroups.TaskGroup.__aexit__", "taskgroup"),
        ("taskgroups.TaskGroup._aexit", "taskgroup"),
        ("streams.StreamReader._wait_for_data", "stream"),
        ("streams.FlowControlMixin._drain_helper", "stream"), ("futures.wrap_future", "executor"),
    )  # fmt: skip
    out = {}
    for dotted, kind in spots:
        module, _, rest = dotted.partition(".")
        obj = getattr(asyncio, module, None)
        for part in rest.split("."):
            obj = getattr(obj, part, None)
        code = getattr(obj, "__code__", None)
        if code is not None:
            out[code] = kind
    return out


_CODE_KINDS = _code_kinds()


def future_kind(creator):
    if creator is None:
        return "future"
    kind = _CODE_KINDS.get(creator)
    if kind is not None:
        return kind
    q = getattr(creator, "co_qualname", None)
    if q in _QUALNAME_KINDS:
        return _QUALNAME_KINDS[q]
    base = creator.co_filename.replace("\\", "/").rsplit("/", 1)[-1]
    kind = _CREATOR_KINDS.get((base, creator.co_name))
    if kind is not None and not sites.is_internal(creator):
        kind = None
    return kind or "future"


_RESOLVER_KINDS = {
    ("queues.py", "_wakeup_next"): "queue",
    ("futures.py", "_set_result_unless_cancelled"): "sleep",
    ("locks.py", "set"): "event",
    ("locks.py", "_wake_up_first"): "lock",
    ("locks.py", "notify"): "condition",
    ("streams.py", "_wakeup_waiter"): "stream",
    ("taskgroups.py", "_on_task_done"): "taskgroup",
    ("tasks.py", "_done_callback"): "gather",
    ("tasks.py", "_on_completion"): "wait",
}


def resolver_kind(code):
    """The kind of an untracked future, guessed from asyncio's code that completed it."""
    if code is None or not sites.is_internal(code):
        return "future"
    base = code.co_filename.replace("\\", "/").rsplit("/", 1)[-1]
    return _RESOLVER_KINDS.get((base, code.co_name), "future")
