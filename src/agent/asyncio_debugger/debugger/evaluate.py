"""Evaluation in a frame, and writes to frame locals that stick."""

import sys

from asyncio_debugger.debugger import await_eval

try:
    import ctypes

    _locals_to_fast = getattr(ctypes.pythonapi, "PyFrame_LocalsToFast", None)
except Exception:
    _locals_to_fast = None

# 3.13 (PEP 667): frame.f_locals is a write-through proxy; earlier versions return a snapshot
# dict that must be copied back into the fast locals explicitly.
WRITE_THROUGH = sys.version_info >= (3, 13)


def commit_locals(frame):
    # Never touch frame.f_locals here: on 3.10-3.12 each access re-reads the fast locals into the
    # snapshot dict and would discard the write being committed.
    if WRITE_THROUGH or _locals_to_fast is None:
        return
    _locals_to_fast(ctypes.py_object(frame), ctypes.c_int(0))


def evaluate_in_frame(frame, expression, allow_statements, awaits=None):
    """(value, is_statement). Tries an expression first; in the REPL a statement is accepted too.

    `awaits` (an await_eval.AwaitOptions) allows top-level `await`: the expression then runs on
    the paused thread's event loop (await_eval.py). Without it, an expression that needs `await`
    raises AwaitNotAllowed."""
    globs = frame.f_globals if frame is not None else _main_globals()
    locs = frame.f_locals if frame is not None else globs
    flags = await_eval.FLAGS if awaits is not None else 0
    try:
        code = compile(expression, "<debug>", "eval", flags, dont_inherit=True)
        is_stmt = False
    except SyntaxError:
        try:
            if not allow_statements:
                raise
            code = compile(expression, "<debug>", "exec", flags, dont_inherit=True)
            is_stmt = True
        except SyntaxError:
            if awaits is None and await_eval.uses_await(expression):
                raise AwaitNotAllowed() from None
            raise
    value = eval(code, globs, locs)
    if await_eval.is_coroutine_code(code):
        value = await_eval.run(value, awaits)
    if frame is not None and allow_statements:
        # An assignment, a walrus or a mutating call in the REPL must still reach the frame.
        commit_locals(frame)
    return (None, True) if is_stmt else (value, False)


class AwaitNotAllowed(Exception):
    """The expression uses `await` where evaluation may not run the event loop."""

    def __init__(self, message="await is not evaluated here."):
        super().__init__(message)


def _main_globals():
    main = sys.modules.get("__main__")
    return getattr(main, "__dict__", None) or {}


def set_local(frame, name, value):
    locs = frame.f_locals
    locs[name] = value
    commit_locals(frame)
