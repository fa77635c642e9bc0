"""Lazy formatting of the (code object, instruction offset) pairs the hooks keep."""

from . import probe

_lines = {}


def line_of(code, lasti):
    key = (id(code), lasti)
    line = _lines.get(key)
    if line is None:
        line = code.co_firstlineno
        if lasti >= 0:
            for start, end, number in code.co_lines():
                if start <= lasti < end:
                    if number is not None:
                        line = number
                    break
        _lines[key] = line
    return line


_frames = {}


def frame(code, lasti):
    """{file, line, function}; one shared (read-only) dict per site, since a trace repeats the
    same few sites hundreds of thousands of times."""
    if code is None:
        return None
    key = (id(code), lasti)
    out = _frames.get(key)
    if out is None:
        out = _frames[key] = {
            "file": code.co_filename,
            "line": line_of(code, lasti),
            "function": getattr(code, "co_qualname", code.co_name),
        }
    return out


def is_internal(code):
    return probe.is_internal_file(code.co_filename)


def is_agent(code):
    return code.co_filename.startswith(probe.AGENT_DIR)


def type_name(t):
    module = getattr(t, "__module__", None)
    name = getattr(t, "__qualname__", None) or t.__name__
    return name if module in (None, "builtins") else "%s.%s" % (module, name)
