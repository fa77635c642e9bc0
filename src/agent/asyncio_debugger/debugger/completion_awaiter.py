"""The launch option `completionStopAt: "awaiter"`: a completion breakpoint stops where the task
awaiting the completed future resumes (the line after its `await`) instead of where it completed.

At completion (inside `call_soon`, on the loop's thread) the awaiters still have the future as
their `_fut_waiter`. The first one found gets a step over its innermost user frame on this thread,
as a step over `await` does; when that step ends, the stop carries the breakpoint's reason and
description instead of "step". Nothing awaiting the future directly (or no user frame in the
awaiter): the stop stays where it completed and the description says so.
"""

import _thread

from asyncio_debugger.debugger import stepping
from asyncio_debugger.debugger.paths import is_agent_file, is_library_file
from asyncio_debugger.debugger.task_threads import pending_tasks, suspended_chain

COMPLETER, AWAITER = "completer", "awaiter"
STOP_AT = (COMPLETER, AWAITER)


def _awaiter_frame(fut):
    for task in pending_tasks(fut.get_loop()):
        if task is fut or task._fut_waiter is not fut:
            continue
        for frame, _line in suspended_chain(task.get_coro()):
            filename = frame.f_code.co_filename
            if not (is_library_file(filename) or is_agent_file(filename)):
                return frame
    return None


def stop_at_awaiter(session, stop_at, fut, reason, description, hit_ids):
    """True if the stop was handed over to the awaiter's resumption."""
    if stop_at != AWAITER:
        return False
    frame = _awaiter_frame(fut)
    if frame is None:
        return False
    ident = _thread.get_ident()
    session.stepper.start(ident, stepping.OVER, frame, frame.f_lineno)
    session.step_stops[ident] = (session.stepper.steps[ident], reason, description, hit_ids)
    session.backend.step_started(ident, frame)
    session.backend.steps_changed()
    return True
