"""Start-up and exit: argv/sys.path/env as under `python`, exit codes, start-up errors, disconnect."""

import os
import signal
import socket
import subprocess
import sys
import unittest

from agent_harness import AGENT_PATH, FIXTURES, ROOT, FakeAdapter, fixture, marker_line

EXITS = fixture("agent_exits.py")
BASIC = fixture("agent_basic.py")
BUSY = fixture("agent_busy.py")


def report(out):
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


class LifecycleTests(unittest.TestCase):
    def run_exits(self, mode, env=None):
        with FakeAdapter([EXITS, mode], env=env) as a:
            a.start()
            code, out, err = a.finish()
            exits = [m["body"] for m in a.log if m.get("event") == "programExit"]
        return code, out, err, exits

    def test_argv_path_environment_like_python(self):
        code, out, err, exits = self.run_exits("normal", env={"ASYNCIO_DEBUGGER_USER_PYTHONPATH": "/user/lib"})
        info = report(out)
        self.assertEqual(info["argv"], repr([EXITS, "normal"]))
        self.assertEqual(info["path0"], FIXTURES)
        self.assertEqual(info["token"], "None")
        self.assertEqual(info["pythonpath"], "/user/lib")
        self.assertEqual(info["name"], "__main__")
        self.assertEqual((code, err, exits), (0, "", [{"exitCode": 0}]))

    def test_relative_program_path_kept_in_argv(self):
        with FakeAdapter([os.path.join("test", "fixtures", "agent_exits.py")], cwd=ROOT) as a:
            a.start()
            code, out, err = a.finish()
        self.assertEqual(report(out)["argv"], repr([os.path.join("test", "fixtures", "agent_exits.py")]))
        self.assertEqual(report(out)["pythonpath"], "None")

    def test_sys_exit_code(self):
        code, out, err, exits = self.run_exits("code")
        self.assertEqual((code, err, exits), (7, "", [{"exitCode": 7}]))

    def test_sys_exit_message(self):
        code, out, err, exits = self.run_exits("message")
        self.assertEqual((code, err, exits), (1, "fatal: goodbye\n", [{"exitCode": 1}]))

    def test_os_exit_sends_nothing(self):
        code, out, err, exits = self.run_exits("os_exit")
        self.assertEqual((code, err, exits), (5, "", []))

    def test_keyboard_interrupt_like_python(self):
        code, out, err, exits = self.run_exits("interrupt")
        self.assertEqual(code, -signal.SIGINT)
        self.assertTrue(err.startswith("Traceback (most recent call last):\n"), err)
        self.assertTrue(err.endswith("KeyboardInterrupt\n"), err)
        self.assertNotIn("asyncio_debugger", err)

    def test_missing_program(self):
        missing = fixture("agent_does_not_exist.py")
        with FakeAdapter([missing]) as a:
            a.start()
            error = a.wait_event("programError")
            code, out, err = a.finish()
        self.assertEqual(error["kind"], "missing")
        self.assertEqual(code, 2)
        self.assertIn("can't open file %r: [Errno 2] No such file or directory" % missing, err)

    def test_syntax_error(self):
        bad = fixture("agent_syntax_error.py")
        with FakeAdapter([bad]) as a:
            a.start()
            error = a.wait_event("programError")
            code, out, err = a.finish()
        self.assertEqual(error["kind"], "syntax")
        self.assertEqual(code, 1)
        self.assertIn('agent_syntax_error.py", line 3', err)
        self.assertIn("SyntaxError", err)
        self.assertNotIn("asyncio_debugger", err)

    def test_module_target(self):
        pkg_main = os.path.join(FIXTURES, "agent_pkg", "__main__.py")
        with FakeAdapter(["-m", "agent_pkg", "x"], cwd=FIXTURES) as a:
            res = a.start({pkg_main: [marker_line(pkg_main, "pkg_bp")]})
            self.assertTrue(res[pkg_main]["breakpoints"][0]["verified"])
            a.stopped("breakpoint")
            f = a.top_frame(1)
            self.assertEqual(a.globals_of(f["id"])["value"]["value"], "41")
            a.request("continue", {"threadId": 1})
            code, out, err = a.finish()
        self.assertEqual(code, 0, err)
        lines = dict(line.split("=", 1) for line in out.splitlines())
        self.assertEqual(lines["pkg argv"], repr([pkg_main, "x"]))
        self.assertEqual(lines["pkg path0"], FIXTURES)

    def test_missing_module(self):
        with FakeAdapter(["-m", "agent_no_such_module"]) as a:
            a.start()
            error = a.wait_event("programError")
            code, out, err = a.finish()
        self.assertEqual((error["kind"], code), ("import", 1))
        self.assertIn("No module named agent_no_such_module", err)

    def test_disconnect_resumes_and_removes_breakpoints(self):
        with FakeAdapter([BASIC]) as a:
            a.start({BASIC: [marker_line(BASIC, "bp")]})
            a.stopped("breakpoint")
            a.request("disconnect", {"terminateDebuggee": False})
            code, out, err = a.finish()
            stops = [m for m in a.log if m.get("event") == "stopped"]
        self.assertEqual((code, out, err), (0, "total 94\n", ""))
        self.assertEqual(len(stops), 1)

    def test_adapter_vanishing_ends_the_program(self):
        # No `disconnect` came first: the adapter died, and its program must not outlive it.
        with FakeAdapter([BASIC]) as a:
            a.start({BASIC: [marker_line(BASIC, "bp")]})
            a.stopped("breakpoint")
            a.sock.shutdown(socket.SHUT_RDWR)
            code, out, err = a.finish()
        self.assertEqual((code, out, err), (-signal.SIGTERM, "", ""))

    def test_disconnect_detaching_output_leaves_the_program_running(self):
        with FakeAdapter([BASIC]) as a:
            a.start({BASIC: [marker_line(BASIC, "bp")]})
            a.stopped("breakpoint")
            a.request("disconnect", {"terminateDebuggee": False, "detachOutput": True})
            a.sock.shutdown(socket.SHUT_RDWR)
            code, out, err = a.finish()
        self.assertEqual((code, out, err), (0, "", ""))

    @unittest.skipUnless(hasattr(os, "fork"), "needs os.fork")
    def test_forked_child_runs_undebugged(self):
        fork = fixture("agent_fork.py")
        with FakeAdapter([fork]) as a:
            a.start({fork: [marker_line(fork, "fork_bp")]})
            stop = a.stopped("breakpoint")
            f = a.top_frame(stop["threadId"])
            self.assertEqual(a.locals_of(f["id"])["who"]["value"], "'parent'")
            a.request("continue", {"threadId": stop["threadId"]})
            self.assertEqual(a.wait_event("programExit"), {"exitCode": 0})
            code, out, err = a.finish()
            stops = [m for m in a.log if m.get("event") == "stopped"]
        self.assertEqual((code, out), (0, "child status 0\n"))
        # 3.12+ warns about fork() in a multi-threaded process: the agent's reader thread counts.
        self.assertNotIn("Traceback", err)
        self.assertEqual(len(stops), 1)

    def test_no_connection_is_a_clear_error(self):
        env = dict(os.environ, PYTHONPATH=AGENT_PATH)
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        proc = subprocess.run(
            [sys.executable, "-m", "asyncio_debugger", "launch", "--port", str(port), "--", EXITS],
            env=env,
            capture_output=True,
            text=True,
            timeout=20,
        )
        self.assertEqual(proc.returncode, 1)
        self.assertIn("cannot connect to the debug adapter", proc.stderr)
        self.assertEqual(proc.stdout, "")

    def test_usage_errors(self):
        env = dict(os.environ, PYTHONPATH=AGENT_PATH)
        for argv in (["launch", "--", EXITS], ["launch", "--port", "1"], ["frobnicate"]):
            proc = subprocess.run(
                [sys.executable, "-m", "asyncio_debugger"] + argv, env=env, capture_output=True, text=True, timeout=20
            )
            self.assertEqual(proc.returncode, 2, argv)
            self.assertIn("usage:", proc.stderr)


if __name__ == "__main__":
    unittest.main()
