"""repr() that survives hostile objects: raising, never returning, or enormous."""

import _thread
import heapq
import itertools
import time

from asyncio_debugger.channel import start_hidden_thread

try:
    import ctypes

    _set_async_exc = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.py_object)(
        ("PyThreadState_SetAsyncExc", ctypes.pythonapi)
    )
except Exception:  # ctypes is optional in some builds; then slow reprs are simply waited for
    _set_async_exc = None

REPR_TIMEOUT = 1.0
DEFAULT_MAX = 1000


class EvaluationTimeout(BaseException):
    """Injected into a stopped thread whose user code (a `__repr__`, a watch) overran its time."""


class _Watchdog:
    """One hidden thread that interrupts user code running past its deadline on a stopped thread.

    The interruption is an asynchronous exception (PyThreadState_SetAsyncExc): it works inside
    sys.monitoring/settrace callbacks, where a temporary trace function would never fire.
    """

    def __init__(self):
        self._lock = _thread.allocate_lock()
        self._wake = _thread.allocate_lock()
        self._wake.acquire()
        self._heap = []
        self._armed = {}
        self._ids = itertools.count(1)
        self._started = False

    def arm(self, seconds):
        token = next(self._ids)
        deadline = time.monotonic() + seconds
        with self._lock:
            self._armed[token] = [_thread.get_ident(), False]
            heapq.heappush(self._heap, (deadline, token))
            if not self._started:
                self._started = True
                start_hidden_thread(self._run)
        try:
            self._wake.release()
        except RuntimeError:
            pass
        return token

    def disarm(self, token):
        """True if the timeout fired (its exception may still be pending on this thread)."""
        with self._lock:
            _ident, fired = self._armed.pop(token)
        return fired

    def _run(self):
        while True:
            with self._lock:
                now = time.monotonic()
                while self._heap and (self._heap[0][0] <= now or self._heap[0][1] not in self._armed):
                    _, token = heapq.heappop(self._heap)
                    entry = self._armed.get(token)
                    if entry is not None and not entry[1]:
                        entry[1] = True
                        _set_async_exc(entry[0], EvaluationTimeout)
                timeout = self._heap[0][0] - now if self._heap else 60.0
            self._wake.acquire(timeout=max(timeout, 0.001))


_watchdog = _Watchdog()


def call_with_timeout(fn, *args, timeout=REPR_TIMEOUT):
    """fn(*args), raising EvaluationTimeout if it runs longer than `timeout` seconds."""
    if _set_async_exc is None:
        return fn(*args)
    token = _watchdog.arm(timeout)
    try:
        result = fn(*args)
    except EvaluationTimeout:
        _watchdog.disarm(token)
        raise
    except BaseException:
        if _watchdog.disarm(token):
            _absorb_pending()
        raise
    if _watchdog.disarm(token):
        # It fired just as `fn` returned: the exception is pending; let it land here. (Clearing
        # it with SetAsyncExc(id, NULL) would leave 3.11's eval breaker signalled for good.)
        _absorb_pending()
    return result


def _absorb_pending():
    try:
        for _ in range(100000):
            pass
    except EvaluationTimeout:
        pass


_SIMPLE = (int, float, complex, bool, type(None))


class ReprContext:
    """Per-request state: after two time-outs, further user `__repr__` calls are skipped."""

    def __init__(self, max_len=DEFAULT_MAX):
        self.max_len = max_len
        self.timeouts = 0


def safe_repr(obj, max_len=DEFAULT_MAX, ctx=None):
    if ctx is None:
        ctx = ReprContext(max_len)
    text = _repr(obj, max_len, ctx, 0)
    if len(text) > max_len:
        text = text[:max_len] + "..."
    return text


def _user_repr(obj, ctx):
    if ctx.timeouts >= 2:
        return "<repr() skipped: earlier repr() calls timed out>"
    try:
        r = call_with_timeout(repr, obj)
        if not isinstance(r, str):
            return "<repr() returned %s, not str>" % type(r).__name__
        return r
    except EvaluationTimeout:
        ctx.timeouts += 1
        return "<repr() did not return within %g s>" % REPR_TIMEOUT
    except BaseException as e:
        return "<repr() failed: %s: %s>" % (type(e).__name__, _short(e))


def _short(e):
    try:
        text = str(e)
    except BaseException:
        text = "?"
    return text[:200]


def _repr(obj, budget, ctx, depth):
    t = type(obj)
    if t in _SIMPLE:
        return repr(obj)
    if t is str or t is bytes or t is bytearray:
        if len(obj) > budget:
            return repr(obj[:budget])[:-1] + "..."
        return repr(obj)
    if t in (list, tuple, set, frozenset, dict):
        return _container_repr(obj, t, budget, ctx, depth)
    return _user_repr(obj, ctx)


def _container_repr(obj, t, budget, ctx, depth):
    if not obj:
        return {list: "[]", tuple: "()", set: "set()", frozenset: "frozenset()", dict: "{}"}[t]
    if depth > 3:
        return "[...]" if t is list else "(...)" if t is tuple else "{...}"
    open_, close = {list: "[]", tuple: "()", set: "{}", frozenset: "{}", dict: "{}"}[t]
    parts = []
    used = 2
    truncated = False
    items = obj.items() if t is dict else obj
    for item in items:
        if used > budget:
            truncated = True
            break
        if t is dict:
            k, v = item
            s = _repr(k, budget - used, ctx, depth + 1) + ": " + _repr(v, budget - used, ctx, depth + 1)
        else:
            s = _repr(item, budget - used, ctx, depth + 1)
        parts.append(s)
        used += len(s) + 2
    body = ", ".join(parts)
    if truncated:
        body += ", ..."
    elif t is tuple and len(parts) == 1:
        body += ","
    text = open_ + body + close
    if t is frozenset:
        text = "frozenset(" + text + ")"
    return text


MAX_NAME = 200


def short_name(name, limit=MAX_NAME):
    """A task name as shown in threads and descriptions: names are any string, even megabytes."""
    name = name if isinstance(name, str) else safe_repr(name, limit)
    return name if len(name) <= limit else name[:limit] + "…"
