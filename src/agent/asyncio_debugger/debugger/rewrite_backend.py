"""Python 3.10/3.11 without a trace function on the main thread unless something needs one.

Line breakpoints run through rewritten code (`rewrite.py`): every live function of a file with
breakpoints gets the instrumented code object (one `gc.get_objects()` scan per breakpoint change),
modules imported later and the main script are compiled instrumented, and removing breakpoints
swaps the original code back. The main thread is traced only while something needs it:

- a step (it starts on the stopped thread itself, which can call `sys.settrace`);
- a pause: a Python signal handler on a real-time signal, raised with `_thread.interrupt_main`,
  runs on the main thread with the interrupted frame and turns tracing on there;
- function breakpoints and the `raised`/`userUnhandled` filters (they need every call);
- code that cannot use the rewritten version: a frame or suspended coroutine already running
  the old code where a breakpoint now is, a function whose source changed on disk, a line that
  one hook call cannot stand for (loop headers, `except`, decorators). Those keep the scoped
  trace function of `tracing.py` until a later breakpoint change finds none left.

Other threads still get the global trace function when they start (`threading.settrace`):
a running thread cannot be given one from outside on these versions, and pausing them needs it.
"""

import _thread
import builtins
import gc
import importlib.machinery
import signal
import sys
import threading
import types

from asyncio_debugger.channel import AGENT_THREADS
from asyncio_debugger.debugger import rewrite
from asyncio_debugger.debugger.breakpoints import hit_line
from asyncio_debugger.debugger.paths import is_agent_file, normalize
from asyncio_debugger.debugger.tracing import SettraceBackend

_FRAME_OF = {
    types.CoroutineType: "cr_frame",
    types.GeneratorType: "gi_frame",
    types.AsyncGeneratorType: "ag_frame",
}
_Loader = importlib.machinery.SourceFileLoader


def _idle_hook():
    """What rewritten code calls once the debugger is gone."""


def _pause_signal():
    sig = getattr(signal, "SIGRTMAX", None)
    if sig is None:
        return None
    sig -= 1
    try:
        if signal.getsignal(sig) != signal.SIG_DFL:
            return None  # the program's own, or another tool's
    except (ValueError, OSError):
        return None
    return sig


class RewriteBackend(SettraceBackend):
    def __init__(self, session):
        super().__init__(session)
        self._main_ident = threading.main_thread().ident
        self._main_traced = False
        self._fallback = False
        self._wanted = False
        self._norm_tables = {}
        self._rewrites = {}  # normalised path -> rewrite.FileRewrite for the current lines
        self._touched = set()  # normalised paths whose functions may hold rewritten code
        self._orig_of = {}  # id(rewritten code) -> (rewritten code, original code)
        self._originals = {}  # original code (by value) -> the live code object it was
        self._lock = threading.RLock()
        self._signum = None
        self._saved_handler = None
        self._restore_signal = False
        self._saved_get_code = None

    # Installation ------------------------------------------------------------------------------

    def install(self):
        self._enabled = True
        setattr(builtins, rewrite.HOOK_NAME, self._hook)
        self._patch_loader()
        self._install_signal()
        threading.settrace(self._global)
        self.breakpoints_changed()

    def uninstall(self):
        super().uninstall()
        self._wanted = False
        # Rewritten code may still run (suspended coroutines, the main module): keep the name.
        setattr(builtins, rewrite.HOOK_NAME, _idle_hook)
        try:
            self._apply()  # swaps the original code back into live functions
        except Exception as e:
            self.session.internal_error("restoring code", e)
        if self._saved_get_code is not None:
            saved, self._saved_get_code = self._saved_get_code, None
            if saved is _MISSING:
                del _Loader.get_code
            else:
                _Loader.get_code = saved
        self._uninstall_signal()

    def _patch_loader(self):
        if self._saved_get_code is not None:
            return
        self._saved_get_code = _Loader.__dict__.get("get_code", _MISSING)
        inherited = _Loader.get_code
        backend = self

        def get_code(loader, fullname):
            code = inherited(loader, fullname)
            try:
                return backend._module_code(loader.get_filename(fullname), code)
            except Exception as e:
                backend.session.internal_error("instrumenting an import", e)
                return code

        _Loader.get_code = get_code

    def _install_signal(self):
        if threading.current_thread() is not threading.main_thread():
            return
        sig = _pause_signal()
        if sig is None:
            return
        try:
            self._saved_handler = signal.signal(sig, self._on_signal)
        except (ValueError, OSError):
            return
        self._signum = sig

    def _uninstall_signal(self):
        if self._signum is None:
            return
        if threading.current_thread() is threading.main_thread():
            self._restore_own_signal()
        else:
            # signal.signal works on the main thread only: the handler restores itself.
            self._restore_signal = True
            self._signal_main()

    def _restore_own_signal(self):
        sig, self._signum = self._signum, None
        if sig is not None and signal.getsignal(sig) == self._on_signal:
            signal.signal(sig, self._saved_handler or signal.SIG_DFL)

    def _signal_main(self):
        sig = self._signum
        if sig is not None and signal.getsignal(sig) == self._on_signal:
            try:
                _thread.interrupt_main(sig)
                return True
            except (ValueError, RuntimeError):
                pass
        return False

    def _on_signal(self, signum, frame):
        if self._restore_signal:
            self._restore_own_signal()
            return
        if self._enabled and self._wanted and self._main_ident not in self.session.busy:
            self._trace_here(frame)

    def _trace_here(self, frame):
        """Turn tracing on for the calling thread, with the local tracer on `frame` and its callers."""
        if sys.gettrace() is not self._global:
            sys.settrace(self._global)
        if _thread.get_ident() == self._main_ident:
            self._main_traced = True
        SettraceBackend.step_started(self, None, frame)

    # When tracing is needed --------------------------------------------------------------------

    def _recompute(self):
        super()._recompute()
        s = self.session
        self._wanted = self._enabled and bool(
            s.stepper.steps
            or s.exceptions.raised
            or s.exceptions.user_unhandled
            or s.function_breakpoints.by_name
            or self._fallback
            or self._signum is None
        )
        if self._main_traced and not self._wanted:
            self._fast_ok = False  # the main thread must reach _decide to drop its tracer

    def _update_tracing(self):
        on_main = _thread.get_ident() == self._main_ident
        if self._wanted and not self._main_traced:
            if on_main:
                self._trace_here(sys._getframe(1))
            elif self._main_ident not in self.session.busy:
                # A stopped main thread picks this up in steps_changed when it resumes.
                self._signal_main()
        elif on_main and self._main_traced and not self._wanted:
            sys.settrace(None)
            self._main_traced = False
            self._recompute()

    def _drop_here(self):
        if self._wanted or _thread.get_ident() != self._main_ident:
            return False
        self._main_traced = False
        self._recompute()
        return True

    def breakpoints_changed(self):
        self._apply()
        self._recompute()
        self._update_tracing()

    def exceptions_changed(self):
        self._recompute()
        self._update_tracing()

    def steps_changed(self):
        self._recompute()
        self._update_tracing()

    def step_started(self, ident, frame):
        self._trace_here(frame)

    def request_pause(self, ident):
        if ident == self._main_ident and not self._main_traced and self._signal_main():
            return  # the handler arms the interrupted frame and its callers
        # A traced thread: arming its frames from here is enough.
        super().request_pause(ident)

    # Breakpoint hook ---------------------------------------------------------------------------

    def _hook(self):
        if not self._enabled:
            return
        ident = _thread.get_ident()
        s = self.session
        if ident in s.busy or ident in AGENT_THREADS:
            return
        frame = sys._getframe(1)
        try:
            table = self._table(frame.f_code.co_filename)
            line = frame.f_lineno
            bp = table.get(line) if table else None
            if bp is None:
                return
            # The line event of a traced frame left this line to the hook, steps included.
            hit_line(s, frame, bp, line)
        except Exception as e:
            s.internal_error("breakpoint hook", e)

    # Rewriting ---------------------------------------------------------------------------------

    def _register(self, rw):
        for orig, inst in rw.by_orig.items():
            self._orig_of[id(inst)] = (inst, orig)
            hooks = rw.hooks.get(inst)
            if hooks:
                self._hook_lines[id(inst)] = (inst, hooks)
        self._touched.add(rw.path)

    def compile_main(self, source, path):
        """The main script's code: instrumented if it has breakpoints."""
        code = compile(source, path, "exec", dont_inherit=True)
        try:
            return self._module_code(path, code)
        except Exception as e:
            self.session.internal_error("instrumenting the main script", e)
            return code

    def _module_code(self, filename, code):
        if not self._enabled:
            return code
        path = normalize(filename)
        table = self.session.breakpoints.by_file.get(path)
        if not table:
            return code
        with self._lock:
            rw = self._rewrites.get(path)
            if rw is None or rw.orig_top != code:
                rw = rewrite.rewrite_file(path, frozenset(table))
                if rw is not None and rw.orig_top == code:
                    self._register(rw)
                    self._rewrites[path] = rw
                else:
                    rw = None
        if rw is None or rw.unhooked:
            self._fallback = True
            self._recompute()
            self._update_tracing()
        return code if rw is None else rw.inst_top

    def _apply(self):
        files = self.session.breakpoints.by_file if self._enabled else {}
        with self._lock:
            old = self._rewrites
            new = {}
            for path, table in files.items():
                rw = old.get(path)
                if rw is None or rw.lines != frozenset(table):
                    rw = rewrite.rewrite_file(path, frozenset(table))
                    if rw is not None:
                        self._register(rw)
                if rw is not None:
                    new[path] = rw
            self._rewrites = new
            fallback = any(rw.unhooked for rw in new.values()) or any(p not in new for p in files)
            if self._touched:
                fallback = self._swap_all(new, files) or fallback
            self._fallback = fallback and self._enabled

    def _swap_all(self, new, files):
        """Give every live function the code for the current breakpoints; True if some code that
        can reach a breakpoint line still runs without its hook."""
        touched = self._touched
        fallback = False
        objects = gc.get_objects()
        try:
            for obj in objects:
                t = type(obj)
                if t is types.FunctionType:
                    code = obj.__code__
                    path = normalize(code.co_filename)
                    if path in touched and not self._swap(obj, code, new.get(path)):
                        fallback = self._stale(code, path, files) or fallback
                elif t in _FRAME_OF:
                    frame = getattr(obj, _FRAME_OF[t], None)
                    if frame is not None and self._arm_if_stale(frame, files):
                        fallback = True
        finally:
            del objects
        try:
            current = sys._current_frames()
        except Exception:
            current = {}
        for ident, frame in current.items():
            if ident in AGENT_THREADS:
                continue
            while frame is not None:
                if self._arm_if_stale(frame, files):
                    fallback = True
                frame = frame.f_back
        return fallback

    def _swap(self, fn, code, rw):
        entry = self._orig_of.get(id(code))
        if entry is not None and entry[0] is code:
            orig = entry[1]
        else:
            # The function's own code object goes back, not an equal one compiled here.
            orig = self._originals.setdefault(code, code)
        target = self._originals.get(orig, orig) if rw is None else rw.by_orig.get(orig)
        if target is None:
            return False  # not from the source on disk now (changed, or made by exec)
        if target is code:
            return True
        if target.co_freevars != code.co_freevars:
            return False
        try:
            fn.__code__ = target
        except (ValueError, TypeError):
            return False
        return True

    def _stale(self, code, path, files):
        table = files.get(path)
        if not table:
            return False
        entry = self._hook_lines.get(id(code))
        hooks = entry[1] if entry is not None and entry[0] is code else ()
        reachable = rewrite.event_lines(code)
        return any(line in reachable and line not in hooks for line in table)

    def _arm_if_stale(self, frame, files):
        code = frame.f_code
        filename = code.co_filename
        if is_agent_file(filename) or not self._stale(code, normalize(filename), files):
            return False
        frame.f_trace = self._local
        return True


_MISSING = object()
