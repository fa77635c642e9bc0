"""Exception stops: raised, uncaught (post-mortem), userUnhandled (task, thread), exceptionInfo."""

import unittest

from agent_harness import FakeAdapter, fixture, marker_line

EXC = fixture("agent_exceptions.py")


class ExceptionTests(unittest.TestCase):
    def test_raised_stops_where_raised(self):
        with FakeAdapter([EXC, "caught"]) as a:
            a.start(exceptions=["raised"])
            stop = a.stopped("exception")
            self.assertIn("ValueError", stop["text"])
            f = a.top_frame(stop["threadId"])
            self.assertEqual((f["name"], f["line"]), ("fail", marker_line(EXC, "raise")))
            info = a.request("exceptionInfo", {"threadId": stop["threadId"]})
            self.assertEqual(info["exceptionId"], "ValueError")
            self.assertEqual(info["description"], "bad value 1")
            self.assertEqual(info["breakMode"], "always")
            self.assertIn("bad value 1", info["details"]["stackTrace"])
            a.request("continue", {"threadId": stop["threadId"]})
            code, out, err = a.finish()
        self.assertEqual((code, out, err), (0, "recovered\n", ""))

    def test_caught_exception_does_not_stop_without_raised_filter(self):
        with FakeAdapter([EXC, "caught"]) as a:
            a.start(exceptions=["uncaught", "userUnhandled"])
            self.assertEqual(a.wait_event("programExit"), {"exitCode": 0})
            self.assertEqual(a.finish()[0], 0)

    def test_uncaught_post_mortem_then_traceback_and_exit_1(self):
        with FakeAdapter([EXC, "uncaught"]) as a:
            a.start(exceptions=["uncaught"])
            stop = a.stopped("exception")
            frames = a.request("stackTrace", {"threadId": stop["threadId"]})["stackFrames"]
            self.assertEqual([f["name"] for f in frames], ["fail", "<module>"])
            self.assertEqual(frames[0]["line"], marker_line(EXC, "raise"))
            self.assertEqual(frames[1]["line"], marker_line(EXC, "uncaught_call"))
            self.assertEqual(a.locals_of(frames[0]["id"])["value"]["value"], "7")
            ev = a.request("evaluate", {"expression": "doomed", "frameId": frames[1]["id"], "context": "watch"})
            self.assertEqual(ev["result"], "'inspect me'")
            info = a.request("exceptionInfo", {"threadId": stop["threadId"]})
            self.assertEqual(info["breakMode"], "unhandled")
            a.request("continue", {"threadId": stop["threadId"]})
            self.assertEqual(a.wait_event("programExit"), {"exitCode": 1})
            code, out, err = a.finish()
        self.assertEqual(code, 1)
        lines = err.strip().splitlines()
        self.assertEqual(lines[0], "Traceback (most recent call last):")
        self.assertIn('agent_exceptions.py", line %d, in <module>' % marker_line(EXC, "uncaught_call"), lines[1])
        self.assertEqual(lines[-1], "ValueError: bad value 7")
        self.assertNotIn("asyncio_debugger", err)
        self.assertNotIn("runpy", err)

    def test_uncaught_without_filter_just_exits(self):
        with FakeAdapter([EXC, "uncaught"]) as a:
            a.start(exceptions=[])
            code, out, err = a.finish()
        self.assertEqual(code, 1)
        self.assertTrue(err.endswith("ValueError: bad value 7\n"), err)

    def test_user_unhandled_in_task(self):
        with FakeAdapter([EXC, "task"]) as a:
            a.start(exceptions=["userUnhandled"])
            stop = a.stopped("exception")
            f = a.top_frame(stop["threadId"])
            self.assertEqual((f["name"], f["line"]), ("task_body", marker_line(EXC, "task_raise")))
            self.assertEqual(a.locals_of(f["id"])["local_in_task"]["value"], "42")
            info = a.request("exceptionInfo", {"threadId": stop["threadId"]})
            self.assertEqual((info["exceptionId"], info["breakMode"]), ("KeyError", "userUnhandled"))
            a.request("continue", {"threadId": stop["threadId"]})
            code, out, err = a.finish()
        self.assertEqual((code, out), (0, "handled task error\n"))

    def test_uncaught_in_thread(self):
        with FakeAdapter([EXC, "thread"]) as a:
            a.start(exceptions=["uncaught"])
            stop = a.stopped("exception")
            self.assertNotEqual(stop["threadId"], 1)
            threads = {t["id"]: t["name"] for t in a.request("threads")["threads"]}
            self.assertEqual(threads[stop["threadId"]], "Failer")
            f = a.top_frame(stop["threadId"])
            self.assertEqual((f["name"], f["line"]), ("thread_body", marker_line(EXC, "thread_raise")))
            self.assertEqual(a.locals_of(f["id"])["in_thread"]["value"], "'yes'")
            a.request("continue", {"threadId": stop["threadId"]})
            code, out, err = a.finish()
        self.assertEqual((code, out), (0, "thread joined\n"))
        self.assertIn("RuntimeError: thread failure", err)

    def test_user_unhandled_in_thread_stops_once(self):
        with FakeAdapter([EXC, "thread"]) as a:
            a.start(exceptions=["uncaught", "userUnhandled"])
            stop = a.stopped("exception")
            info = a.request("exceptionInfo", {"threadId": stop["threadId"]})
            self.assertEqual(info["breakMode"], "userUnhandled")
            a.request("continue", {"threadId": stop["threadId"]})
            self.assertEqual(a.wait_event("programExit"), {"exitCode": 0})
            stops = [m for m in a.log if m.get("event") == "stopped"]
            self.assertEqual(len(stops), 1)
            self.assertEqual(a.finish()[0], 0)


if __name__ == "__main__":
    unittest.main()
