"""The launch option `completionStopAt: "awaiter"`: a completion breakpoint stops where the task
awaiting the completed future resumes (the line after its `await`) instead of where it completed.

At completion (inside `call_soon`, on the loop's thread) the awaiters still wait: the task that
awaits the future directly, or through `gather(...)`, `asyncio.wait(...)`, (3.10/3.11)
`asyncio.wait_for(...)`, `shield(...)`, the end of a TaskGroup block or an item of
`asyncio.as_completed(...)` (completion_chain.py). The first one that resumes because of this
completion gets a step over its innermost user frame on this thread, as a step over `await` does;
when that step ends, the stop carries the breakpoint's reason and description instead of "step".

A task waiting through a gather, asyncio.wait or task group that still waits for others does not
resume now: the stop stays where the future completed and the description names the task and what
it still waits for ("Task main resumes when the gather completes"). Stopping then would come after
the other futures' own breakpoints, far from this completion. Nothing waiting on it (or no user
frame in the awaiter): the stop stays where it completed and the description says so.
"""

import _thread

from asyncio_debugger.debugger import stepping
from asyncio_debugger.debugger.completion_as_completed import VIA as AS_COMPLETED
from asyncio_debugger.debugger.completion_chain import DIRECT, waiting_tasks
from asyncio_debugger.debugger.paths import is_agent_file, is_library_file
from asyncio_debugger.debugger.task_threads import suspended_chain

COMPLETER, AWAITER = "completer", "awaiter"
STOP_AT = (COMPLETER, AWAITER)
NOTHING = " (nothing awaits it: stopped where it completed)"


def _user_frame(task):
    for frame, _line in suspended_chain(task.get_coro()):
        filename = frame.f_code.co_filename
        if not (is_library_file(filename) or is_agent_file(filename)):
            return frame
    return None


def _awaiter(fut):
    """(frame to step over, None) for a task that resumes now, else (None, note)."""
    later = None
    for task, via, now in waiting_tasks(fut):
        frame = _user_frame(task)
        if frame is None:
            continue
        if now:
            return frame, None
        if later is None and via == AS_COMPLETED:
            later = " (Task %s takes it from %s after another future: stopped where it completed)"
            later %= (task.get_name(), via)
        elif later is None and via != DIRECT:
            what = "returns" if via == "asyncio.wait" else "completes"
            later = " (Task %s resumes when %s %s: stopped where it completed)" % (task.get_name(), via, what)
    return None, later or NOTHING


def stop_at_awaiter(session, stop_at, fut, reason, description, hit_ids):
    """True if the stop was handed over to the awaiter's resumption, else the note to add to
    the description ("" unless stopping at the awaiter was asked for)."""
    if stop_at != AWAITER:
        return ""
    frame, note = _awaiter(fut)
    if frame is None:
        return note
    ident = _thread.get_ident()
    session.stepper.start(ident, stepping.OVER, frame, frame.f_lineno)
    session.step_stops[ident] = (session.stepper.steps[ident], reason, description, hit_ids)
    session.backend.step_started(ident, frame)
    session.backend.steps_changed()
    return True
