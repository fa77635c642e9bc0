"""`python -m asyncio_debugger record -o trace.json [--format native|chrome] [--level steps|lifecycle] -- TARGET...`

Runs the target as plain `python` would, with task tracking on, and writes the trace when the
program ends. `--level lifecycle` records only task creation and completion (tasks, no steps:
the timeline shows lanes without spans) for a fraction of the cost. Silent unless -v (then one summary line on stderr, after the program finished).
"""

import os
import platform
import sys
import threading
import time

USAGE = """usage: python -m asyncio_debugger record -o FILE [--format native|chrome] [--max-mb N]
                                      [--level steps|lifecycle] [-v] -- PROGRAM.py [ARGS...] | -m MODULE [ARGS...]
"""


class _Usage(Exception):
    pass


def parse(argv):
    opts = {"output": None, "format": "native", "max_mb": 64.0, "verbose": False, "level": "steps"}
    argv = list(argv)
    while argv:
        arg = argv.pop(0)
        if arg == "--":
            break
        if arg in ("-h", "--help"):
            raise _Usage("")
        if arg == "-v":
            opts["verbose"] = True
        elif arg in ("-o", "--output", "--format", "--max-mb", "--level"):
            if not argv:
                raise _Usage("%s needs a value" % arg)
            value = argv.pop(0)
            if arg in ("-o", "--output"):
                opts["output"] = value
            elif arg == "--format":
                if value not in ("native", "chrome"):
                    raise _Usage("--format must be native or chrome")
                opts["format"] = value
            elif arg == "--level":
                if value not in ("steps", "lifecycle"):
                    raise _Usage("--level must be steps or lifecycle")
                opts["level"] = value
            else:
                try:
                    opts["max_mb"] = float(value)
                except ValueError:
                    raise _Usage("--max-mb must be a number")
        else:
            # No `--`: the first unknown argument starts the target.
            argv.insert(0, arg)
            break
    if not opts["output"]:
        raise _Usage("-o FILE is required")
    if not argv:
        raise _Usage("no program given after --")
    return opts, argv


def _join_program_threads():
    # python waits for non-daemon threads before it exits; wait now so their loops are recorded.
    me = threading.current_thread()
    for thread in threading.enumerate():
        if thread is not me and not thread.daemon and thread.is_alive():
            thread.join()


def _metadata(started, argv):
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "executable": sys.executable,
        "platform": sys.platform,
        "pid": os.getpid(),
        "argv": argv,
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "started_at_unix": started,
        "clock": "perf_counter_ns",
    }


def write_trace(store, tracker, path, fmt, meta):
    from asyncio_debugger.tasks import chrome, model, native

    trace = model.build(store, tracker.registry)
    meta = dict(meta)
    meta["dropped"] = {
        "records": tracker.dropped,
        "objects": store.dropped_objects,
    }
    meta["max_bytes"] = store.max_bytes
    meta["peak_bytes"] = store.peak_bytes
    with open(path, "w", encoding="utf-8") as out:
        (chrome if fmt == "chrome" else native).write(trace, out, meta)
    return trace


def main(argv):
    try:
        opts, target_argv = parse(argv)
        from asyncio_debugger.runner import Target, UsageError, install_trimming_excepthook
        from asyncio_debugger.runner import run as run_target

        try:
            target = Target(target_argv)
        except UsageError as e:
            raise _Usage(str(e))
    except _Usage as e:
        if str(e):
            sys.stderr.write("record: %s\n" % e)
        sys.stderr.write(USAGE)
        return 2
    output = os.path.abspath(opts["output"])
    try:
        # Fail before the program runs, not after, when the trace cannot be written.
        with open(output, "w", encoding="utf-8"):
            pass
    except OSError as e:
        sys.stderr.write("record: cannot write %s: %s\n" % (output, e.strerror or e))
        return 2
    from asyncio_debugger import tasks

    # A quarter of the budget for the batch between two flushes, the rest for the history.
    budget = int(opts["max_mb"] * 1024 * 1024)
    store = tasks.ChunkStore(budget - budget // 4)
    started = time.time()
    tracker = tasks.start(
        store, max_batch_records=max(1000, budget // 4 // 250), level=opts["level"]
    )
    install_trimming_excepthook()
    pid = os.getpid()
    try:
        outcome = run_target(target)
        if outcome.reraise is None or isinstance(outcome.reraise, SystemExit):
            _join_program_threads()
    finally:
        tracker.stop()
    if os.getpid() != pid:
        # A forked child of the program ended: the trace belongs to the parent.
        if outcome.reraise is not None:
            raise outcome.reraise
        return outcome.exit_code
    t_write = time.perf_counter()
    try:
        trace = write_trace(store, tracker, output, opts["format"], _metadata(started, target_argv))
    except OSError as e:
        sys.stderr.write("record: cannot write %s: %s\n" % (output, e.strerror or e))
        return outcome.exit_code or 1
    if opts["verbose"]:
        sys.stderr.write(
            "asyncio-debugger: %d tasks, %d steps, %d records (%d dropped) -> %s in %.2fs\n"
            % (
                len(trace.tasks),
                len(trace.spans[0]),
                trace.records,
                tracker.dropped,
                output,
                time.perf_counter() - t_write,
            )
        )
    if outcome.reraise is not None:
        raise outcome.reraise
    return outcome.exit_code
