"""Agent-internal diagnostics.

The agent must never write to the program's stdout/stderr, so diagnostics go to a file only when
ASYNCIO_DEBUGGER_LOG names one, and warnings meant for the user travel as `output` events.
"""

import os
import threading
import time
import traceback

LOG_ENV = "ASYNCIO_DEBUGGER_LOG"

_path = os.environ.get(LOG_ENV) or None
_lock = threading.Lock()


def log(message, exc=None):
    if _path is None:
        return
    text = "%.3f [%d] %s\n" % (time.time(), os.getpid(), message)
    if exc is not None:
        text += "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    try:
        with _lock, open(_path, "a", encoding="utf-8") as f:
            f.write(text)
    except OSError:
        pass
