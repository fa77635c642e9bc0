"""`launch`: connect back to the adapter, wait for configuration, run the program under the debugger."""

import atexit
import os
import sys

from asyncio_debugger.channel import Channel
from asyncio_debugger.debugger.session import Session
from asyncio_debugger.log import log
from asyncio_debugger import runner


def launch(opts, target, token):
    try:
        channel = Channel.connect(opts["host"], opts["port"], opts["connect_timeout"])
    except OSError as e:
        # Nothing of the program has run yet: this is the one error the agent prints.
        sys.stderr.write(
            "asyncio_debugger: cannot connect to the debug adapter at %s:%s: %s\n" % (opts["host"], opts["port"], e)
        )
        return 1
    session = Session(channel)
    channel.on_request = session.handle_request
    channel.on_close = session.on_disconnect
    channel.send_hello(token)
    channel.start_reader()
    exit_state = {"code": None}

    tracking = {"live": None}

    def send_exit():
        live = tracking["live"]
        if live is not None:
            # The last steps and outcomes reach the adapter before the exit does.
            live.stop()
        if exit_state["code"] is not None:
            channel.send_event("programExit", {"exitCode": exit_state["code"]})

    # Registered before the program can register its own handlers, so it runs after all of them
    # (atexit is LIFO) and after non-daemon threads were joined: the real end of the process.
    atexit.register(send_exit)

    def forked_child():
        # The child shares the parent's socket but not its reader thread: a stop there would hang
        # forever. It runs undebugged instead.
        exit_state["code"] = None
        channel.detach()
        session.on_disconnect()

    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=forked_child)
    session.configured.wait()
    if not session.disconnected and session.track_tasks:
        # Before the debugger's hooks: a stop on entry must not land in the importing of asyncio.
        tracking["live"] = _start_task_tracking(channel, session)
    try:
        session.install()
    except Exception as e:
        log("installing hooks failed", e)
        session.output("The debugger could not install its hooks: %s" % e, "important")
    compile_main = getattr(session.backend, "compile_main", None) if not session.disconnected else None
    outcome = runner.run(target, on_uncaught=session.on_uncaught, compile_main=compile_main)
    if outcome.error is not None:
        kind, message = outcome.error
        channel.send_event("programError", {"kind": kind, "message": message})
    if outcome.reraise is not None:
        if isinstance(outcome.reraise, SystemExit):
            exit_state["code"] = outcome.exit_code
        runner.install_trimming_excepthook()
        raise outcome.reraise
    exit_state["code"] = outcome.exit_code
    return outcome.exit_code


def _start_task_tracking(channel, session):
    from asyncio_debugger import live as live_mod
    from asyncio_debugger.debugger.task_threads import TaskThreads

    live = live_mod.start(channel)
    if live is None:
        return None
    TaskThreads(session, live)
    session.disconnect_listeners.append(live.stop)
    return live
