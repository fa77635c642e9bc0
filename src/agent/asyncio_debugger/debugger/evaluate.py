"""Evaluation in a frame, and writes to frame locals that stick."""

import sys

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


def evaluate_in_frame(frame, expression, allow_statements):
    """(value, is_statement). Tries an expression first; in the REPL a statement is accepted too."""
    globs = frame.f_globals if frame is not None else _main_globals()
    locs = frame.f_locals if frame is not None else globs
    try:
        code = compile(expression, "<debug>", "eval")
    except SyntaxError:
        if not allow_statements:
            raise
        code = compile(expression, "<debug>", "exec")
        exec(code, globs, locs)
        if frame is not None:
            commit_locals(frame)
        return None, True
    value = eval(code, globs, locs)
    if frame is not None and allow_statements:
        # A walrus or a mutating call in the REPL must still reach the frame.
        commit_locals(frame)
    return value, False


def _main_globals():
    main = sys.modules.get("__main__")
    return getattr(main, "__dict__", None) or {}


def set_local(frame, name, value):
    locs = frame.f_locals
    locs[name] = value
    commit_locals(frame)
