"""Completion breakpoints by pattern on uvloop loops (Debian's python3 has uvloop): set before the
program imports uvloop, or while its loop runs; eager tasks on uvloop (3.12+ with uvloop: the
interpreter running these tests, with ASYNCIO_TEST_UVLOOP_PATH for a uvloop outside its
site-packages)."""

import os
import subprocess
import sys
import unittest

from agent_harness import AGENT_PATH, FakeAdapter, fixture, marker_line

UVLOOP_PYTHON = "/usr/bin/python3"
UVLOOP_PATH = os.environ.get("ASYNCIO_TEST_UVLOOP_PATH", "")
_USER_PATH = {"PYTHONPATH": UVLOOP_PATH, "ASYNCIO_DEBUGGER_USER_PYTHONPATH": UVLOOP_PATH} if UVLOOP_PATH else {}


def _has_eager_uvloop(python):
    check = "import sys, uvloop; sys.exit(sys.version_info < (3, 12))"
    env = dict(os.environ, PYTHONPATH=UVLOOP_PATH)
    return subprocess.run([python, "-c", check], env=env, capture_output=True).returncode == 0


@unittest.skipUnless(os.path.exists(UVLOOP_PYTHON), "Debian's python3 with uvloop is not installed")
class TestUvloopTaskFactory(unittest.TestCase):
    def test_a_uvloop_task_factory_is_seen(self):
        # uvloop keeps it in a C field: no `_task_factory` attribute to read.
        check = (
            "import asyncio, uvloop\n"
            "from asyncio_debugger.debugger.completion_targets import has_task_factory\n"
            "loop = uvloop.new_event_loop()\n"
            "before = has_task_factory(loop)\n"
            "loop.set_task_factory(lambda loop, coro, **kw: asyncio.Task(coro, loop=loop, **kw))\n"
            "print(before, has_task_factory(loop), hasattr(loop, '_task_factory'))\n"
        )
        env = dict(os.environ, PYTHONPATH=AGENT_PATH)
        out = subprocess.run([UVLOOP_PYTHON, "-c", check], env=env, capture_output=True, text=True)
        self.assertEqual(out.stdout.split(), ["False", "True", "False"], out.stderr)


@unittest.skipUnless(_has_eager_uvloop(sys.executable), "needs Python 3.12+ with uvloop")
class TestUvloopEager(unittest.TestCase):
    def test_an_eager_task_that_suspended_stops_in_its_coroutine(self):
        app = fixture("completion_eager_uvloop.py")
        fa = FakeAdapter([app], env=_USER_PATH)
        self.addCleanup(fa.__exit__)
        fa.connect()
        fa.request("initialize", {"justMyCode": True, "stopOnEntry": False})
        fa.request("setFunctionBreakpoints", {"breakpoints": [{"name": "result:eager-*"}]})
        fa.request("setExceptionBreakpoints", {"filters": []})
        fa.request("configurationDone")
        tops = []
        for description in ("Task eager-done finished: result 40", "Task eager-suspends finished: result 2"):
            stopped = fa.stopped("function breakpoint")
            self.assertEqual(stopped["description"], description)
            top = fa.top_frame(stopped["threadId"])
            tops.append((top["name"], top["line"]))
            fa.request("continue", {"threadId": stopped["threadId"]})
        # Finished inside create_task: where it ran; suspended there: its own frame, its last line.
        lines = [marker_line(app, "bp create_instant"), marker_line(app, "bp suspends_return")]
        self.assertEqual(tops, [("main", lines[0]), ("suspends", lines[1])])
        code, out, _err = fa.finish()
        self.assertEqual((code, out), (0, "42\n"))


@unittest.skipUnless(os.path.exists(UVLOOP_PYTHON), "Debian's python3 with uvloop is not installed")
class TestUvloopPatterns(unittest.TestCase):
    def test_pattern_set_while_a_uvloop_loop_runs(self):
        fa = FakeAdapter([fixture("completion_uvloop.py")], python=UVLOOP_PYTHON)
        self.addCleanup(fa.__exit__)
        fa.start()
        tid = fa.stopped("breakpoint")["threadId"]
        body = fa.request("setFunctionBreakpoints", {"breakpoints": [{"name": "exception:work*"}]})
        self.assertTrue(body["breakpoints"][0]["verified"], body)
        fa.request("continue", {"threadId": tid})
        stopped = fa.stopped("function breakpoint")
        self.assertEqual(stopped["description"], "Task worker failed: KeyError: 'k'")
        self.assertEqual(stopped["hitBreakpointIds"], [body["breakpoints"][0]["id"]])
        frames = fa.request("stackTrace", {"threadId": tid})["stackFrames"]
        self.assertEqual(frames[0]["name"], "work")
        fa.request("continue", {"threadId": tid})
        self.assertEqual(fa.finish()[0], 0)

    def test_pattern_set_before_uvloop_is_imported(self):
        fa = FakeAdapter([fixture("completion_uvloop.py")], python=UVLOOP_PYTHON)
        self.addCleanup(fa.__exit__)
        fa.connect()
        fa.request("initialize", {"justMyCode": True, "stopOnEntry": False})
        body = fa.request("setFunctionBreakpoints", {"breakpoints": [{"name": "exception:work"}]})
        fa.request("setExceptionBreakpoints", {"filters": []})
        fa.request("configurationDone")
        tid = fa.stopped("breakpoint")["threadId"]
        fa.request("continue", {"threadId": tid})
        stopped = fa.stopped("function breakpoint")
        self.assertEqual(stopped["description"], "Task worker failed: KeyError: 'k'")
        self.assertEqual(stopped["hitBreakpointIds"], [body["breakpoints"][0]["id"]])
        fa.request("continue", {"threadId": tid})
        self.assertEqual(fa.finish()[0], 0)


if __name__ == "__main__":
    unittest.main()
