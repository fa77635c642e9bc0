"""Stepping: next / stepIn / stepOut, async-aware step over `await`, stopOnEntry."""

import unittest

from agent_harness import FakeAdapter, fixture, marker_line

SYNC = fixture("agent_sync_step.py")
ASYNC = fixture("agent_async_step.py")


class SteppingTests(unittest.TestCase):
    def step(self, a, kind, thread_id=1):
        a.request(kind, {"threadId": thread_id})
        stop = a.stopped()
        self.assertEqual(stop["reason"], "step", stop)
        return a.top_frame(stop["threadId"])

    def test_sync_next_step_in_step_out(self):
        with FakeAdapter([SYNC]) as a:
            a.start({SYNC: [marker_line(SYNC, "outer_first")]})
            a.stopped("breakpoint")
            f = self.step(a, "next")
            self.assertEqual((f["name"], f["line"]), ("outer", marker_line(SYNC, "call_inner")))
            f = self.step(a, "stepIn")
            self.assertEqual((f["name"], f["line"]), ("inner", marker_line(SYNC, "inner_first")))
            f = self.step(a, "stepOut")
            self.assertEqual((f["name"], f["line"]), ("outer", marker_line(SYNC, "after_call")))
            self.assertEqual(a.locals_of(f["id"])["y"]["value"], "2")
            f = self.step(a, "next")  # return z
            # Back in main: the rest of the call line is not a new line, so the next stop is
            # the following line.
            f = self.step(a, "next")
            self.assertEqual((f["name"], f["line"]), ("main", marker_line(SYNC, "main_call") + 1))
            a.request("continue", {"threadId": 1})
            code, out, _ = a.finish()
        self.assertEqual((code, out), (0, "3\n"))

    def test_next_over_call_does_not_enter(self):
        with FakeAdapter([SYNC]) as a:
            a.start({SYNC: [marker_line(SYNC, "call_inner")]})
            a.stopped("breakpoint")
            f = self.step(a, "next")
            self.assertEqual((f["name"], f["line"]), ("outer", marker_line(SYNC, "after_call")))
            a.request("continue", {"threadId": 1})
            a.finish()

    def test_just_my_code_controls_step_into_library(self):
        for jmc, expect_library in ((True, False), (False, True)):
            with FakeAdapter([SYNC]) as a:
                a.start({SYNC: [marker_line(SYNC, "library_call")]}, just_my_code=jmc)
                a.stopped("breakpoint")
                f = self.step(a, "stepIn")
                in_library = f["source"].get("path", "").endswith("textwrap.py")
                self.assertEqual(in_library, expect_library, f)
                if not expect_library:
                    self.assertEqual(f["line"], marker_line(SYNC, "after_library"))
                else:
                    frames = a.request("stackTrace", {"threadId": 1})["stackFrames"]
                    self.assertNotIn("presentationHint", frames[0])
                a.request("continue", {"threadId": 1})
                self.assertEqual(a.finish()[0], 0)

    def test_stop_on_entry(self):
        with FakeAdapter([SYNC]) as a:
            a.start(stop_on_entry=True)
            stop = a.stopped("entry")
            f = a.top_frame(stop["threadId"])
            self.assertEqual(f["name"], "<module>")
            self.assertEqual(f["line"], 1)
            f = self.step(a, "next")
            self.assertEqual(f["name"], "<module>")
            a.request("continue", {"threadId": 1})
            code, out, _ = a.finish()
        self.assertEqual(out, "3\n")

    def test_step_over_await_lands_in_same_coroutine(self):
        with FakeAdapter([ASYNC]) as a:
            a.start({ASYNC: [marker_line(ASYNC, "await")]})
            a.stopped("breakpoint")
            f = a.top_frame(1)
            self.assertEqual(f["name"], "worker")
            # Other tasks (chatter) run many lines while worker sleeps; the step must ignore them.
            f = self.step(a, "next")
            self.assertEqual((f["name"], f["line"]), ("worker", marker_line(ASYNC, "after_await")))
            ev = a.request("evaluate", {"expression": "len(trace)", "frameId": f["id"], "context": "watch"})
            self.assertGreater(int(ev["result"]), 0)
            f = self.step(a, "next")
            self.assertEqual(f["line"], marker_line(ASYNC, "call_helper"))
            f = self.step(a, "next")
            self.assertEqual((f["name"], f["line"]), ("worker", marker_line(ASYNC, "after_helper")))
            a.request("continue", {"threadId": 1})
            code, out, _ = a.finish()
        self.assertEqual((code, out), (0, "result 20 15\n"))

    def test_step_into_and_out_of_coroutine(self):
        with FakeAdapter([ASYNC]) as a:
            a.start({ASYNC: [marker_line(ASYNC, "call_helper")]})
            a.stopped("breakpoint")
            f = self.step(a, "stepIn")
            self.assertEqual((f["name"], f["line"]), ("helper", marker_line(ASYNC, "helper_first")))
            f = self.step(a, "stepOut")
            self.assertEqual((f["name"], f["line"]), ("worker", marker_line(ASYNC, "after_helper")))
            f = self.step(a, "stepOut")
            # worker returns into the task machinery; its awaiter main() is the next user code.
            self.assertEqual(f["name"], "main")
            self.assertIn(f["line"], (marker_line(ASYNC, "main_await"), marker_line(ASYNC, "main_await") + 1))
            a.request("continue", {"threadId": 1})
            self.assertEqual(a.finish()[0], 0)

    def test_breakpoint_in_other_task_cancels_step(self):
        with FakeAdapter([ASYNC]) as a:
            a.start({ASYNC: [marker_line(ASYNC, "await")]})
            a.stopped("breakpoint")
            a.request(
                "setBreakpoints",
                {"source": {"path": ASYNC}, "breakpoints": [{"line": marker_line(ASYNC, "chatter")}]},
            )
            a.request("next", {"threadId": 1})
            stop = a.stopped("breakpoint")
            f = a.top_frame(stop["threadId"])
            self.assertEqual(f["name"], "chatter")
            a.request("setBreakpoints", {"source": {"path": ASYNC}, "breakpoints": []})
            a.request("continue", {"threadId": 1})
            # The cancelled step must not stop later in worker.
            self.assertEqual(a.wait_event("programExit"), {"exitCode": 0})
            self.assertEqual(a.finish()[0], 0)


if __name__ == "__main__":
    unittest.main()
