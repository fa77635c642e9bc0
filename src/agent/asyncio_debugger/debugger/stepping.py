"""Step/pause requests per thread, and the decision "does this event end the step?".

Steps match frames by identity. A coroutine keeps the same frame object across suspensions, so a
step over `await` ends on the next line of the *same* coroutine when it resumes, however many
other tasks ran in between.
"""

import inspect
from asyncio import events, tasks

from asyncio_debugger.debugger.completion_chain import task_resumed_by
from asyncio_debugger.debugger.paths import is_agent_file, is_library_file

INTO, OVER, OUT, PAUSE, ENTRY = "stepIn", "next", "stepOut", "pause", "entry"


class Step:
    __slots__ = ("kind", "frame", "line", "resumed", "returned_to")

    def __init__(self, kind, frame=None, line=None):
        self.kind = kind
        self.frame = frame  # the frame being stepped over / out of
        self.line = line
        self.resumed = False
        self.returned_to = None  # after `frame` returned: stop on the next line of this frame


class Stepper:
    def __init__(self, just_my_code=True):
        self.just_my_code = just_my_code
        self.steps = {}  # thread ident -> Step

    def _visible(self, frame):
        filename = frame.f_code.co_filename
        if is_agent_file(filename):
            return False
        return not (self.just_my_code and is_library_file(filename))

    def on_line(self, ident, frame, line):
        """A reason to stop ("step", "pause", "entry") or None."""
        step = self.steps.get(ident)
        if step is None:
            return None
        kind = step.kind
        if kind == PAUSE or kind == INTO or kind == ENTRY:
            if self._visible(frame):
                return "step" if kind == INTO else kind
            return None
        if frame is step.frame:
            if kind == OVER:
                if step.resumed and line == step.line:
                    # Resuming an `await` re-reports the line it suspended on; that is not progress.
                    step.resumed = False
                    return None
                return "step"
            return None
        if step.returned_to is not None and frame is step.returned_to:
            return "step"
        return None

    def on_resume(self, ident, frame):
        step = self.steps.get(ident)
        if step is not None and frame is step.frame:
            step.resumed = True

    def on_return(self, ident, frame):
        """`frame` finished (returned or unwound; a yield is not a return)."""
        step = self.steps.get(ident)
        if step is None or step.kind not in (OVER, OUT):
            return
        if frame is not step.frame and frame is not step.returned_to:
            return
        caller = frame.f_back
        while caller is not None and is_agent_file(caller.f_code.co_filename):
            caller = caller.f_back
        step.frame = None
        # A task's own coroutine finishing returns into the event loop; the coroutine awaiting
        # that task is the logical caller (justMyCode or not).
        awaiter = awaiting_frame(frame, self._visible) if frame.f_code.co_flags & _CO_COROUTINE else None
        if awaiter is not None and self._visible(awaiter):
            caller = awaiter
        if caller is not None and self._visible(caller):
            step.returned_to = caller
        else:
            # Returned into the event loop (a task's coroutine finished) or into library code:
            # the next user line is where the user expects to be.
            step.kind = INTO
            step.returned_to = None

    def start(self, ident, kind, frame=None, line=None):
        self.steps[ident] = Step(kind, frame, line)

    def cancel(self, ident):
        return self.steps.pop(ident, None)

    def clear(self):
        self.steps.clear()


_CO_COROUTINE = inspect.CO_COROUTINE


def awaiting_frame(frame, visible=None):
    """If `frame` is the coroutine of the task running now, the frame of the coroutine that
    awaits that task (`await task`, or through gather, wait, wait_for or shield in another task;
    its innermost `visible` frame), else None."""
    loop = events._get_running_loop()
    if loop is None:
        return None
    try:
        task = tasks.current_task(loop)
        coro = task.get_coro() if task is not None else None
        if getattr(coro, "cr_frame", None) is not frame:
            return None
        waiter = task_resumed_by(task)
        if waiter is not None:
            return _innermost_frame(waiter.get_coro(), visible)
    except Exception:
        return None
    return None


def _innermost_frame(coro, visible=None):
    """The frame of the innermost coroutine in `coro`'s await chain (where it awaits) that is
    `visible` (any frame when nothing is)."""
    found = None
    depth = 0
    while depth < 100:
        frame = getattr(coro, "cr_frame", None)
        if frame is None:
            break
        if found is None or visible is None or visible(frame):
            found = frame
        coro = getattr(coro, "cr_await", None)
        depth += 1
    return found
