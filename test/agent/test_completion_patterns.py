"""Completion breakpoints by pattern on uvloop loops (Debian's python3 has uvloop): set before the
program imports uvloop, or while its loop runs."""

import os
import unittest

from agent_harness import FakeAdapter, fixture

UVLOOP_PYTHON = "/usr/bin/python3"


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
