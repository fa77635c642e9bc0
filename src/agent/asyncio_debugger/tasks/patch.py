"""Put the hooks on the loop classes and take them off again, leaving the classes as they were.

asyncio's BaseEventLoop is patched at install time. uvloop may be imported later by the program,
so a meta-path finder patches `uvloop.Loop` (a plain Python subclass of the Cython loop) right
after the module executes.
"""

import sys
import threading
from asyncio import base_events

from ..after_import import AfterImport
from . import hooks, lifecycle_hooks, uvloop_hooks

LEVELS = ("steps", "lifecycle")

_lock = threading.Lock()
_saved = []  # (cls, name, had_own_attribute, original)
_finder = None
_level = "steps"


def _patch(cls, name, replacement):
    own = name in cls.__dict__
    _saved.append((cls, name, own, cls.__dict__.get(name)))
    setattr(cls, name, replacement)


def _patch_base():
    cls = base_events.BaseEventLoop
    original = cls.create_task
    inline = original.__code__.co_names[:4] == ("_check_closed", "_task_factory", "tasks", "Task")
    if _level == "lifecycle":
        _patch(cls, "create_task", lifecycle_hooks.make_create_task(original, True, inline))
        _patch_reports(cls)
        return
    _patch(cls, "_call_soon", hooks._call_soon)
    _patch(cls, "create_task", hooks.make_create_task(original, True, inline))
    original = cls.create_future
    inline = original.__code__.co_names == ("futures", "Future")
    _patch(cls, "create_future", hooks.make_create_future(original, inline))
    _patch_reports(cls)


def _patch_reports(cls):
    _patch(
        cls,
        "call_exception_handler",
        hooks.make_call_exception_handler(cls.call_exception_handler),
    )


def patch_uvloop(module):
    cls = getattr(module, "Loop", None)
    if cls is None or "create_task" in cls.__dict__:
        return
    # Look the originals up on the class: they come from the Cython base.
    if _level == "lifecycle":
        _patch(cls, "create_task", lifecycle_hooks.make_create_task(cls.create_task, False))
        _patch_reports(cls)
        return
    _patch(cls, "call_soon", uvloop_hooks.make_uvloop_call_soon(cls.call_soon))
    _patch(cls, "create_task", hooks.make_create_task(cls.create_task, False))
    _patch(cls, "create_future", hooks.make_create_future(cls.create_future))
    _patch_reports(cls)


def _patch_uvloop_locked(module):
    with _lock:
        if _finder is not None:
            patch_uvloop(module)


def install(level="steps"):
    """level "steps": every task step, future and cancel; "lifecycle": creation and completion."""
    global _finder, _level
    if level not in LEVELS:
        raise ValueError("task tracking level must be one of %s, not %r" % (", ".join(LEVELS), level))
    with _lock:
        if _saved or _finder is not None:
            return False
        _level = level
        try:
            _patch_base()
            uvloop = sys.modules.get("uvloop")
            if uvloop is not None:
                patch_uvloop(uvloop)
            else:
                _finder = AfterImport("uvloop", _patch_uvloop_locked).install()
        except BaseException:
            _restore()
            raise
        return True


def uninstall():
    with _lock:
        _restore()


def _restore():
    global _finder
    while _saved:
        cls, name, own, original = _saved.pop()
        if own:
            setattr(cls, name, original)
        else:
            delattr(cls, name)
    if _finder is not None:
        _finder.remove()
        _finder = None


def installed():
    return bool(_saved)
