"""The user-visible stack of a stopped thread: agent and runpy frames removed."""

import os
import runpy

from asyncio_debugger.debugger.paths import is_agent_file, is_library_file, normalize

_RUNPY = (normalize(runpy.__file__), "<frozen runpy>")


def is_hidden(code):
    filename = code.co_filename
    return is_agent_file(filename) or normalize(filename) in _RUNPY


def frames_from(frame):
    """[(frame, line)] innermost first, from a live frame."""
    result = []
    while frame is not None:
        if not is_hidden(frame.f_code):
            result.append((frame, frame.f_lineno))
        frame = frame.f_back
    return result


def frames_from_traceback(tb):
    """[(frame, line)] innermost first, for a post-mortem stop on an exception."""
    result = []
    while tb is not None:
        if not is_hidden(tb.tb_frame.f_code):
            result.append((tb.tb_frame, tb.tb_lineno))
        tb = tb.tb_next
    result.reverse()
    return result


def trim_traceback(tb):
    """The traceback from the first frame `python program.py` would have shown."""
    while tb is not None and is_hidden(tb.tb_frame.f_code):
        tb = tb.tb_next
    return tb


def frame_name(frame):
    code = frame.f_code
    name = getattr(code, "co_qualname", None)
    if name is None:
        name = code.co_name
        self = frame.f_locals.get("self") if code.co_argcount else None
        if self is not None and code.co_varnames and code.co_varnames[0] == "self":
            name = type(self).__qualname__ + "." + name
    return name


def source_of(code):
    filename = code.co_filename
    if filename.startswith("<"):
        return {"name": filename}
    path = os.path.abspath(filename)
    return {"path": path, "name": os.path.basename(path)}


def to_dap(frame_id, frame, line, just_my_code):
    body = {
        "id": frame_id,
        "name": frame_name(frame),
        "source": source_of(frame.f_code),
        "line": line or 0,
        "column": 1,
    }
    if just_my_code and is_library_file(frame.f_code.co_filename):
        body["presentationHint"] = "subtle"
    return body


def is_runpy(code):
    return normalize(code.co_filename) in _RUNPY
