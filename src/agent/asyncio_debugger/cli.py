"""Command line: `launch` (debug under an adapter) and `record` (trace to a file)."""

import os
import sys

from asyncio_debugger import protocol

USAGE = """usage: python -m asyncio_debugger launch [--host HOST] --port PORT [--connect-timeout S] \\
           -- PROGRAM.py [ARGS...]
       python -m asyncio_debugger launch ... -- -m MODULE [ARGS...]
       python -m asyncio_debugger record [OPTIONS] -- PROGRAM.py [ARGS...]
"""


def _fail(message):
    sys.stderr.write("asyncio_debugger: %s\n%s" % (message, USAGE))
    return 2


def clean_environment():
    """Hide the agent from the program: token, our PYTHONPATH entry and sys.path entry."""
    os.environ.pop(protocol.TOKEN_ENV, None)
    user_path = os.environ.pop(protocol.USER_PYTHONPATH_ENV, None)
    if user_path is not None:
        os.environ["PYTHONPATH"] = user_path
    else:
        os.environ.pop("PYTHONPATH", None)
    agent_root = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    keep = set()
    if user_path:
        keep = {os.path.realpath(p) for p in user_path.split(os.pathsep) if p}
    sys.path[1:] = [
        p for p in sys.path[1:] if not p or os.path.realpath(p) != agent_root or os.path.realpath(p) in keep
    ]


def parse_launch(argv):
    opts = {"host": "127.0.0.1", "port": None, "connect_timeout": 10.0}
    if "--" in argv:
        i = argv.index("--")
        own, target = argv[:i], argv[i + 1 :]
    else:
        own, target = argv, []
    it = iter(own)
    for arg in it:
        name, eq, value = arg.partition("=")
        if name in ("--host", "--port", "--connect-timeout"):
            if not eq:
                value = next(it, None)
                if value is None:
                    raise ValueError("%s needs a value" % name)
            key = name[2:].replace("-", "_")
            opts[key] = value
        else:
            raise ValueError("unknown option %r" % arg)
    if opts["port"] is None:
        raise ValueError("--port is required")
    try:
        opts["port"] = int(opts["port"])
        opts["connect_timeout"] = float(opts["connect_timeout"])
    except ValueError:
        raise ValueError("--port must be an integer and --connect-timeout a number")
    if not target:
        raise ValueError("no program given after --")
    return opts, target


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        sys.stderr.write(USAGE)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command == "record":
        try:
            from asyncio_debugger import record
        except ImportError as e:
            sys.stderr.write("asyncio_debugger: the record command is not available (%s)\n" % e)
            return 2
        return record.main(rest)
    if command != "launch":
        return _fail("unknown command %r" % command)
    try:
        opts, target_argv = parse_launch(rest)
        from asyncio_debugger.runner import Target

        target = Target(target_argv)
    except ValueError as e:
        return _fail(str(e))
    except Exception as e:  # UsageError
        return _fail(str(e))
    token = os.environ.get(protocol.TOKEN_ENV, "")
    clean_environment()
    from asyncio_debugger.launch import launch

    return launch(opts, target, token)
