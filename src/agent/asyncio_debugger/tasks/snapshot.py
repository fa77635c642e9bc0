"""All live tasks of every loop seen, with where each one is suspended and what it waits on.

The await chain follows `cr_await` down the coroutines (file:line frames); the C FutureIter at
the bottom hides its future, so the leaf comes from `task._fut_waiter` instead.
"""

import asyncio

from . import sites
from .loops import all_tasks, open_loops


def _chain(coro, limit=64):
    frames = []
    while coro is not None and limit:
        frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
        if frame is not None:
            frames.append(sites.frame(frame.f_code, frame.f_lasti))
        coro = getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None)
        limit -= 1
    return frames


def _waiting_on(task):
    w = task._fut_waiter
    if w is None:
        return None
    if isinstance(w, asyncio.Task):
        return {"kind": "task", "name": w.get_name()}
    kind = "gather" if type(w).__name__ == "_GatheringFuture" else "future"
    return {"kind": kind, "repr": object.__repr__(w)}


def snapshot():
    """A list of dicts, one per pending task: id(), name, coroutine, state, chain, waiting_on."""
    out = []
    for loop in open_loops():
        current = asyncio.tasks.current_task(loop)
        for task in all_tasks(loop) or ():
            coro = task.get_coro()
            out.append(
                {
                    "object_id": id(task),
                    "name": task.get_name(),
                    "coroutine": getattr(coro, "__qualname__", type(coro).__qualname__),
                    "state": "running" if task is current else "suspended",
                    "loop": id(loop),
                    "chain": _chain(coro),
                    "waiting_on": _waiting_on(task),
                }
            )
    return out

