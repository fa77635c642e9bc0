"""Path normalisation and the justMyCode line between user code and library code."""

import os
import site
import sys
import sysconfig

AGENT_DIR = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))

_norm_cache = {}
_case_insensitive = sys.platform in ("win32", "darwin")


def normalize(path):
    """Canonical form of a source path, for comparing breakpoints with code objects."""
    try:
        return _norm_cache[path]
    except KeyError:
        pass
    if path.startswith("<"):
        result = path
    else:
        result = os.path.realpath(os.path.abspath(path))
        if _case_insensitive:
            result = os.path.normcase(result)
    if len(_norm_cache) > 50000:
        _norm_cache.clear()
    _norm_cache[path] = result
    return result


def _library_roots():
    roots = set()
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        try:
            p = sysconfig.get_paths().get(key)
        except Exception:
            p = None
        if p:
            roots.add(p)
    try:
        roots.update(site.getsitepackages())
    except Exception:
        pass
    try:
        roots.add(site.getusersitepackages())
    except Exception:
        pass
    for p in (sys.prefix, sys.base_prefix, sys.exec_prefix):
        roots.add(os.path.join(p, "lib"))
    result = []
    for r in roots:
        if r and os.path.isdir(r):
            result.append(normalize(r) + os.sep)
    return tuple(result)


_LIB_ROOTS = None
_user_cache = {}


def is_agent_file(filename):
    return normalize(filename).startswith(AGENT_DIR + os.sep)


def is_library_file(filename):
    """Stdlib, site-packages, the agent itself, or code without a real file (`<frozen ...>`)."""
    global _LIB_ROOTS
    try:
        return _user_cache[filename]
    except KeyError:
        pass
    if _LIB_ROOTS is None:
        _LIB_ROOTS = _library_roots()
    if filename.startswith("<"):
        # Code typed into `exec`/`eval` by the user is theirs; frozen modules are not.
        result = filename.startswith("<frozen")
    else:
        norm = normalize(filename)
        parts = norm.split(os.sep)
        result = (
            norm.startswith(AGENT_DIR + os.sep)
            or "site-packages" in parts
            or "dist-packages" in parts
            or norm.startswith(_LIB_ROOTS)
        )
    if len(_user_cache) > 50000:
        _user_cache.clear()
    _user_cache[filename] = result
    return result


def is_user_code(code):
    return not is_library_file(code.co_filename)
