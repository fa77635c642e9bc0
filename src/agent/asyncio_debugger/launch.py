"""`launch`: connect back to the adapter, wait for configuration, run the program under the debugger."""

import atexit
import os
import signal
import sys
import time

from asyncio_debugger.channel import Channel, start_hidden_thread
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
    channel.on_close = lambda: _channel_closed(channel, session)
    channel.send_hello(token)
    channel.start_reader()
    exit_state = {"code": None}

    tracking = {"live": None}

    def send_exit():
        live = tracking["live"]
        if live is not None:
            # The last steps and outcomes reach the adapter before the exit does.
            live.stop()
        # The program is ending: the adapter closing the connection now changes nothing.
        channel.said_goodbye = True
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

    live = live_mod.start(channel, session.task_level)
    if live is None:
        return None
    TaskThreads(session, live)
    session.disconnect_listeners.append(live.stop)
    return live


# Same grace as the adapter's own terminate: SIGTERM first, SIGKILL if the program ignores it.
KILL_GRACE_S = 2.0


def _channel_closed(channel, session):
    if channel.said_goodbye:
        session.on_disconnect()
        return
    # The adapter died without a `disconnect` (killed, crashed): nobody can see or end this
    # program any more, so it ends as the adapter's terminate would have ended it.
    log("adapter connection lost: ending the program")
    pid = os.getpid()
    group = hasattr(os, "killpg") and os.getpgid(0) == pid

    def send(sig):
        try:
            if group:
                os.killpg(pid, sig)
            else:
                os.kill(pid, sig)
        except OSError as e:
            log("ending the program failed", e)

    def kill_later():
        time.sleep(KILL_GRACE_S)
        send(getattr(signal, "SIGKILL", signal.SIGTERM))

    # Signalled before the program is resumed, so that it cannot run on (a handler of its own
    # for SIGTERM runs once it is resumed; SIGKILL follows if it does not end).
    send(signal.SIGTERM)
    start_hidden_thread(kill_later)
    session.on_disconnect()
