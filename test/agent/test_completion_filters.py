"""The taskException and taskCancelled exception filters."""

import unittest

from agent_harness import FakeAdapter, fixture, marker_line

APP = fixture("completion_filters.py")


class TestTaskFilters(unittest.TestCase):
    def run_with(self, filters):
        fa = FakeAdapter([APP])
        self.addCleanup(fa.__exit__)
        fa.start(exceptions=filters)
        return fa

    def finish(self, fa):
        code, out, err = fa.finish()
        self.assertEqual((code, out, err), (0, "done\n", ""))

    def test_task_exception_stops_where_the_coroutine_raised(self):
        fa = self.run_with(["taskException"])
        stopped = fa.stopped("exception")
        self.assertEqual(stopped["description"], "Task bad failed: ValueError: boom")
        tid = stopped["threadId"]
        top = fa.top_frame(tid)
        self.assertEqual((top["name"], top["line"]), ("failing", marker_line(APP, "bp raise")))
        info = fa.request("exceptionInfo", {"threadId": tid})
        self.assertEqual(
            (info["exceptionId"], info["description"], info["breakMode"]), ("ValueError", "boom", "userUnhandled")
        )
        fa.request("continue", {"threadId": tid})
        self.finish(fa)

    def test_task_cancelled_stops_where_cancel_was_called(self):
        fa = self.run_with(["taskCancelled"])
        stopped = fa.stopped("exception")
        self.assertRegex(stopped["description"], r"^Task slow cancelled by Task Task-\d+$")
        tid = stopped["threadId"]
        top = fa.top_frame(tid)
        self.assertEqual((top["name"], top["line"]), ("main", marker_line(APP, "bp cancel")))
        self.assertEqual(fa.request("exceptionInfo", {"threadId": tid})["exceptionId"], "CancelledError")
        # The frames are live: a step goes on to the next line of main.
        fa.request("next", {"threadId": tid})
        fa.stopped("step")
        self.assertEqual(fa.top_frame(tid)["line"], marker_line(APP, "bp cancel") + 1)
        fa.request("continue", {"threadId": tid})
        self.finish(fa)

    def test_task_exception_condition(self):
        fa = FakeAdapter([APP])
        self.addCleanup(fa.__exit__)
        fa.connect()
        fa.request("initialize", {"justMyCode": True, "stopOnEntry": False})
        options = [{"filterId": "taskException", "condition": "isinstance(exception, KeyError)"}]
        fa.request("setExceptionBreakpoints", {"filters": [], "filterOptions": options})
        fa.request("configurationDone")
        self.finish(fa)

    def test_filters_are_off_by_default(self):
        fa = self.run_with([])
        self.finish(fa)
        self.assertFalse([m for m in fa.log if m.get("event") == "stopped"])


if __name__ == "__main__":
    unittest.main()
