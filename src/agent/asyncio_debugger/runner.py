"""Runs the target exactly as `python program.py args` / `python -m module args` would.

Reusable by any entry point (launch, record): it fixes sys.argv and sys.path[0], runs `__main__`
through runpy, reports start-up failures the way the interpreter does, and hides its own frames
from printed tracebacks.
"""

import builtins
import importlib.machinery
import importlib.util
import os
import runpy
import sys
import types

from asyncio_debugger.debugger.frames import trim_traceback


class UsageError(Exception):
    pass


class Target:
    def __init__(self, argv):
        argv = list(argv)
        if argv and argv[0] == "--":
            argv = argv[1:]
        if not argv:
            raise UsageError("no program given (expected PROGRAM.py [ARGS...] or -m MODULE [ARGS...])")
        if argv[0] == "-m":
            if len(argv) < 2:
                raise UsageError("-m needs a module name")
            self.module = argv[1]
            self.program = None
            self.args = argv[2:]
        else:
            self.module = None
            self.program = argv[0]
            self.args = argv[1:]

    def describe(self):
        return "-m " + self.module if self.module else self.program


class Outcome:
    """How the program ended. `reraise` is a SystemExit/KeyboardInterrupt for the interpreter
    itself to handle at top level (message printing, exit status, SIGINT status)."""

    def __init__(self, exit_code=0, error=None, reraise=None):
        self.exit_code = exit_code
        self.error = error  # (kind, message) when the program could not start
        self.reraise = reraise


def exit_code_of(exc):
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    return 1


def _print_exception(exc, tb):
    # The printers read exc.__traceback__ (not only the tb argument) on recent versions.
    exc.__traceback__ = tb
    try:
        sys.excepthook(type(exc), exc, tb)
    except BaseException:
        import traceback

        traceback.print_exception(type(exc), exc, tb)


def _startup_error(message):
    sys.stderr.write("%s: %s\n" % (sys.executable, message))
    sys.stderr.flush()


def _compile_main(source, path):
    return compile(source, path, "exec", dont_inherit=True)


def run(target, on_uncaught=None, before_run=None, compile_main=None):
    """Runs the target in this process. `on_uncaught(exc)` sees an uncaught exception before its
    traceback is printed; `before_run()` is called right before the program's first line;
    `compile_main(source, path)` compiles a main script file (a debugger may instrument it)."""
    if target.module is None:
        path = os.path.abspath(target.program)
        sys.argv = [target.program] + target.args
        if not os.path.exists(path):
            message = "can't open file %r: [Errno 2] No such file or directory" % path
            _startup_error(message)
            return Outcome(2, ("missing", message))
        sys.path[0] = os.path.dirname(os.path.realpath(path))
        if os.path.isfile(path):
            try:
                with open(path, "rb") as f:
                    code = (compile_main or _compile_main)(f.read(), path)
            except SyntaxError as e:
                _print_exception(e, None)
                return Outcome(1, ("syntax", "%s: %s (%s, line %s)" % (type(e).__name__, e.msg, e.filename, e.lineno)))
            except (OSError, ValueError) as e:
                message = "can't open file %r: %s" % (path, e)
                _startup_error(message)
                return Outcome(2, ("missing", message))

            def go():
                _exec_as_main(code, path)

        else:

            def go():
                # A directory or zip file with a __main__.py.
                runpy.run_path(path, run_name="__main__")

    else:
        sys.argv = [target.module] + target.args
        sys.path[0] = os.getcwd()
        try:
            spec = importlib.util.find_spec(target.module)
        except (ImportError, ValueError) as e:
            spec, error = None, e
        else:
            error = None
        if spec is None:
            if error is None:
                message = "No module named %s" % target.module
            else:
                message = "Error while finding module specification for %r (%s: %s)" % (
                    target.module,
                    type(error).__name__,
                    error,
                )
            _startup_error(message)
            return Outcome(1, ("import", message))

        def go():
            runpy.run_module(target.module, run_name="__main__", alter_sys=True)

    if before_run is not None:
        before_run()
    try:
        go()
    except SystemExit as e:
        return Outcome(exit_code_of(e), reraise=e)
    except KeyboardInterrupt as e:
        return Outcome(130, reraise=e)
    except BaseException as e:
        if on_uncaught is not None:
            on_uncaught(e)
        tb = trim_traceback(e.__traceback__)
        e.__traceback__ = tb
        _print_exception(e, tb)
        return Outcome(1)
    return Outcome(0)


def _exec_as_main(code, path):
    """What `python path` does: a fresh `__main__` that stays in sys.modules (for pickle,
    atexit handlers, threads still running), with sys.argv[0] left as the user typed it."""
    main = types.ModuleType("__main__")
    main.__dict__.update(
        __file__=path,
        __cached__=None,
        __loader__=importlib.machinery.SourceFileLoader("__main__", path),
        __package__=None,
        __spec__=None,
        __builtins__=builtins,
    )
    sys.modules["__main__"] = main
    exec(code, main.__dict__)


def install_trimming_excepthook():
    """For exceptions re-raised to the interpreter: print them without the agent's frames."""
    original = sys.excepthook

    def hook(exc_type, exc, tb):
        tb = trim_traceback(tb)
        if isinstance(exc, BaseException):
            exc.__traceback__ = tb
        original(exc_type, exc, tb)

    sys.excepthook = hook
