"""`await` in evaluate while paused: on the paused loop, other tasks held, timeouts, errors."""

import os
import subprocess
import unittest

from agent_harness import FakeAdapter, fixture, marker_line

APP = fixture("await_console.py")
STOP = marker_line(APP, "bp stop")


class AwaitEvalTests(unittest.TestCase):
    def stop_in_main(self, a, initialize=None, breakpoints=()):
        a.start({APP: [STOP] + list(breakpoints)}, initialize=initialize)
        stop = a.stopped("breakpoint")
        frame = a.top_frame(stop["threadId"])
        self.assertEqual(frame["line"], STOP)
        return stop["threadId"], frame["id"]

    def evaluate(self, a, frame_id, expression, context="repl", ok=True):
        return a.request("evaluate", {"expression": expression, "frameId": frame_id, "context": context}, ok=ok)

    def finish(self, a, thread_id):
        a.request("continue", {"threadId": thread_id})
        return a.finish()

    def test_sleep_queue_gather_and_assignment(self):
        with FakeAdapter([APP]) as a:
            tid, fid = self.stop_in_main(a)
            self.assertEqual(self.evaluate(a, fid, "await asyncio.sleep(0.1)")["result"], "None")
            # The producer task, the ready callback and the timer stayed paused meanwhile.
            self.assertEqual(self.evaluate(a, fid, "(fut.done(), producer.done())")["result"], "(False, False)")
            self.assertEqual(self.evaluate(a, fid, "notes")["result"], "[]")
            self.assertEqual(self.evaluate(a, fid, "await asyncio.sleep(0, result=41) + 1")["result"], "42")
            self.assertEqual(self.evaluate(a, fid, "await gathered()")["result"], "3")
            self.assertEqual(self.evaluate(a, fid, "await echo(port, 'hi')")["result"], "'echo hi'")
            self.assertEqual(self.evaluate(a, fid, "await loop.run_in_executor(None, sum, [1, 2])")["result"], "3")
            self.evaluate(a, fid, "items = await drain(queue)")
            self.assertEqual(self.evaluate(a, fid, "items")["result"], "[0, 1, 2]")
            current = self.evaluate(a, fid, "asyncio.current_task().get_coro().__qualname__")
            self.assertEqual(current["result"], "'main'")
            # The loop is intact for stepping: over the await of the future the producer resolves.
            a.request("next", {"threadId": tid})
            self.assertEqual(a.stopped("step")["threadId"], tid)
            self.assertEqual(a.top_frame(tid)["line"], STOP + 1)
            a.request("next", {"threadId": tid})
            a.stopped("step")
            self.assertEqual(a.top_frame(tid)["line"], STOP + 2)
            code, out, err = self.finish(a, tid)
        self.assertEqual(code, 0, err)
        self.assertEqual(out, "fut from producer 1\nqueue left 0\nnotes ['ready callback', 'timer']\ndone\n")

    def test_future_of_a_paused_task_times_out_and_the_program_goes_on(self):
        with FakeAdapter([APP]) as a:
            tid, fid = self.stop_in_main(a, {"awaitTimeout": 0.5})
            err = self.evaluate(a, fid, "await fut", ok=False)
            self.assertIn("await did not complete in 0.5 s", err["message"])
            self.assertIn("awaitRunsOtherTasks", err["message"])
            self.assertEqual(self.evaluate(a, fid, "fut.done()")["result"], "False")
            code, out, err = self.finish(a, tid)
        self.assertEqual(code, 0, err)
        self.assertEqual(out, "fut from producer 1\nqueue left 3\nnotes ['ready callback', 'timer']\ndone\n")
        self.assertNotIn("Traceback", err)

    def test_runs_other_tasks_when_asked(self):
        with FakeAdapter([APP]) as a:
            tid, fid = self.stop_in_main(a, {"awaitRunsOtherTasks": True})
            self.assertEqual(self.evaluate(a, fid, "await fut")["result"], "'from producer'")
            self.assertEqual(self.evaluate(a, fid, "producer.done()")["result"], "True")
            code, out, err = self.finish(a, tid)
        self.assertEqual(code, 0, err)
        self.assertEqual(out, "fut from producer 1\nqueue left 3\nnotes ['ready callback', 'timer']\ndone\n")

    def test_exception_from_the_awaited_coroutine(self):
        with FakeAdapter([APP]) as a:
            tid, fid = self.stop_in_main(a)
            err = self.evaluate(a, fid, "await fails()", ok=False)
            self.assertEqual(err["message"], "ValueError: awaited failure")
            self.assertEqual(self.finish(a, tid)[0], 0)

    def test_breakpoints_inside_the_evaluation_do_not_stop(self):
        with FakeAdapter([APP]) as a:
            tid, fid = self.stop_in_main(a, breakpoints=[marker_line(APP, "bp in_drain")])
            self.assertEqual(self.evaluate(a, fid, "await drain(queue)")["result"], "[0, 1, 2]")
            code, out, err = self.finish(a, tid)
        self.assertEqual(code, 0, err)
        self.assertEqual(out, "fut from producer 1\nqueue left 0\nnotes ['ready callback', 'timer']\ndone\n")
        self.assertEqual(len([m for m in a.log if m.get("event") == "stopped"]), 1)

    def test_callbacks_held_during_the_evaluation_still_stop_at_breakpoints_afterwards(self):
        with FakeAdapter([APP]) as a:
            tid, fid = self.stop_in_main(a, breakpoints=[marker_line(APP, "bp in_note")])
            self.assertEqual(self.evaluate(a, fid, "await asyncio.sleep(0.1)")["result"], "None")
            a.request("continue", {"threadId": tid})
            stop = a.stopped("breakpoint")
            self.assertEqual(a.top_frame(stop["threadId"])["line"], marker_line(APP, "bp in_note"))
            self.assertEqual(a.locals_of(a.top_frame(stop["threadId"])["id"])["text"]["value"], "'ready callback'")
            a.request("setBreakpoints", {"source": {"path": APP}, "breakpoints": []})
            code, out, err = self.finish(a, stop["threadId"])
        self.assertEqual(code, 0, err)
        self.assertIn("notes ['ready callback', 'timer']\n", out)

    def test_watch_awaits_only_when_enabled(self):
        for enabled in (False, True):
            with FakeAdapter([APP]) as a:
                tid, fid = self.stop_in_main(a, {"awaitInWatch": enabled})
                expr = "await asyncio.sleep(0, result=7)"
                if enabled:
                    self.assertEqual(self.evaluate(a, fid, expr, "watch")["result"], "7")
                else:
                    err = self.evaluate(a, fid, expr, "watch", ok=False)
                    self.assertIn('"awaitInWatch": true', err["message"])
                err = self.evaluate(a, fid, expr, "hover", ok=False)
                self.assertIn("await is evaluated only", err["message"])
                self.assertEqual(self.finish(a, tid)[0], 0)

    def test_module_level_without_a_running_loop(self):
        with FakeAdapter([APP]) as a:
            a.start({APP: [marker_line(APP, "bp module")]})
            stop = a.stopped("breakpoint")
            fid = a.top_frame(stop["threadId"])["id"]
            self.assertEqual(self.evaluate(a, fid, "await asyncio.sleep(0, result=5)")["result"], "5")
            self.assertEqual(self.finish(a, stop["threadId"])[0], 0)


if __name__ == "__main__":
    unittest.main()


UVLOOP_PYTHON = "/usr/bin/python3"


def _has_uvloop(python):
    return os.path.exists(python) and subprocess.run([python, "-c", "import uvloop"]).returncode == 0


class AwaitEvalElsewhereTests(unittest.TestCase):
    def test_thread_without_a_loop_names_the_loop_thread(self):
        app = fixture("await_thread.py")
        with FakeAdapter([app]) as a:
            a.start({app: [marker_line(app, "bp in_thread")]})
            stop = a.stopped("breakpoint")
            fid = a.top_frame(stop["threadId"])["id"]
            args = {"expression": "await asyncio.sleep(0)", "frameId": fid, "context": "repl"}
            err = a.request("evaluate", args, ok=False)
            self.assertIn("runs on thread 'MainThread'", err["message"])
            # Plain expressions still work there.
            body = a.request("evaluate", {"expression": "work.__name__", "frameId": fid, "context": "repl"})
            self.assertEqual(body["result"], "'work'")
            a.request("continue", {"threadId": stop["threadId"]})
            code, out, err = a.finish()
        self.assertEqual((code, out), (0, "result 42\n"), err)

    @unittest.skipUnless(_has_uvloop(UVLOOP_PYTHON), "Debian's python3 with uvloop is not installed")
    def test_uvloop_says_it_cannot_be_reentered(self):
        app = fixture("live_uvloop.py")
        with FakeAdapter([app], python=UVLOOP_PYTHON) as a:
            a.start({app: [marker_line(app, "bp parked")]})
            stop = a.stopped("breakpoint")
            fid = a.top_frame(stop["threadId"])["id"]
            args = {"expression": "await asyncio.sleep(0)", "frameId": fid, "context": "repl"}
            err = a.request("evaluate", args, ok=False)
            self.assertIn("Cannot await on a Loop", err["message"])
            a.request("continue", {"threadId": stop["threadId"]})
            self.assertEqual(a.finish()[0], 0)
