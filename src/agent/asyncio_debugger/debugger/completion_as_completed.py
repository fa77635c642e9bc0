"""`asyncio.as_completed(...)` in completion_chain.py: which task takes a completed future from it.

`for f in asyncio.as_completed(fs): r = await f` awaits a `_wait_for_one()` coroutine that waits on
a getter of a private queue; each future's done callback (`_on_completion`, 3.13+
`_handle_completion`) puts it into that queue, which wakes the first waiting getter. The set of
futures not yet put (`todo`) and the queue live in the as_completed generator's frame (3.10-3.12;
`_wait_for_one` sees only the queue) or on an `_AsCompletedIterator` (3.13+, `_wait_for_one`'s
`self`). The generator is held by the coroutine iterating it (the `for` loop's iterator on its
stack, or a local), so it is looked for among what the coroutines above `_wait_for_one` hold.
"""

import gc
from asyncio import queues, tasks

VIA = "asyncio.as_completed"
_GENERATOR = getattr(tasks.as_completed, "__code__", None)  # 3.10-3.12: a generator function
_ITERATOR = getattr(tasks, "_AsCompletedIterator", None)  # 3.13+
_CALLBACKS = ("_on_completion", "_handle_completion")


def waits_on(task, fut, local, outer):
    """(VIA, resumes_now) if `task`, waiting in `_wait_for_one` (its locals: `local`, the
    coroutines above it: `outer`), takes `fut` from its as_completed, else None."""
    state = _state(local, outer)
    if state is None:
        return None
    queue, todo = state
    if fut not in todo:
        return None
    return VIA, queue.empty() and _first_waiting(queue) is task._fut_waiter and not _earlier(fut, todo)


def _state(local, outer):
    """(queue, todo) of the as_completed `_wait_for_one` waits on, or None."""
    owner = local.get("self")
    if _ITERATOR is not None and isinstance(owner, _ITERATOR):
        return owner._done, owner._todo
    queue = local.get("done")
    if not isinstance(queue, queues.Queue) or _GENERATOR is None:
        return None
    for coro in reversed(outer):
        for held in _held_by(coro):
            frame = getattr(held, "gi_frame", None)
            if getattr(held, "gi_code", None) is _GENERATOR and frame is not None:
                gen_local = frame.f_locals
                if gen_local.get("done") is queue and isinstance(gen_local.get("todo"), set):
                    return queue, gen_local["todo"]
    return None


def _held_by(coro):
    """What a suspended coroutine holds: its locals and its frame's value stack (the iterator of
    a `for` loop), read through the garbage collector's referents of the coroutine and its frame."""
    frame = getattr(coro, "cr_frame", None)
    out = list(gc.get_referents(coro))
    if frame is not None:
        out += gc.get_referents(frame)
        out += list(frame.f_locals.values())
    return out


def _first_waiting(queue):
    for getter in getattr(queue, "_getters", None) or ():
        if not getter.done():
            return getter
    return None


def _earlier(fut, todo):
    """Whether another future of the same as_completed goes into the queue first: one whose done
    callback is scheduled on the loop before `fut`'s."""
    ready = getattr(fut.get_loop(), "_ready", None)  # asyncio loops; uvloop's is not readable
    for handle in list(ready or ()):
        args = getattr(handle, "_args", None)
        callback = getattr(handle, "_callback", None)
        if args and args[0] is not fut and getattr(callback, "__name__", None) in _CALLBACKS and args[0] in todo:
            if not handle._cancelled:
                return True
    return False


def next_getter(callback, cells):
    """Before completion: the getter an as_completed done callback will wake (its queue is empty),
    or None when `callback` is not one."""
    if getattr(callback, "__name__", None) not in _CALLBACKS:
        return None
    owner = getattr(callback, "__self__", None)
    queue = owner._done if _ITERATOR is not None and isinstance(owner, _ITERATOR) else cells.get("done")
    if not isinstance(queue, queues.Queue) or not queue.empty():
        return None
    return _first_waiting(queue)
