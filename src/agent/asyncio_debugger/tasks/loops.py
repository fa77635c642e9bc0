"""The event loops the task hooks have seen, and their tasks, read from any thread."""

import asyncio

from . import hooks


def open_loops():
    """Every loop the hooks saw that is still alive and not closed."""
    out = []
    for ref in list(hooks.loops.values()):
        loop = ref()
        if loop is not None and not loop.is_closed():
            out.append(loop)
    return out


def all_tasks(loop, attempts=3):
    """`asyncio.all_tasks(loop)` as a list; None if the set kept changing size while another
    thread ran."""
    for _ in range(attempts):
        try:
            return list(asyncio.all_tasks(loop))
        except RuntimeError:
            continue
    return None
