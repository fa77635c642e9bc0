"""Breakpoints on completion: data breakpoints on futures/tasks and Break When Done."""

import base64
import marshal
import os
import sys
import unittest

from agent_harness import FakeAdapter, fixture, marker_line
from asyncio_debugger.tasks import codes

APP = fixture("completion_app.py")
UVLOOP_PYTHON = "/usr/bin/python3"


class CompletionCase(unittest.TestCase):
    python = None

    def start(self, target=APP):
        fa = FakeAdapter([target], python=self.python)
        self.addCleanup(fa.__exit__)
        fa.start()
        stopped = fa.stopped("breakpoint")
        return fa, stopped["threadId"]

    def locals_ref(self, fa, tid):
        top = fa.top_frame(tid)
        scopes = fa.request("scopes", {"frameId": top["id"]})["scopes"]
        return [s for s in scopes if s["name"] == "Locals"][0]["variablesReference"]

    def arm(self, fa, tid, *names):
        ref = self.locals_ref(fa, tid)
        infos = [fa.request("dataBreakpointInfo", {"variablesReference": ref, "name": n}) for n in names]
        body = fa.request("setDataBreakpoints", {"breakpoints": [{"dataId": i["dataId"]} for i in infos]})
        self.assertTrue(all(b["verified"] for b in body["breakpoints"]), body)
        return [b["id"] for b in body["breakpoints"]]

    def next_stop(self, fa, tid):
        fa.request("continue", {"threadId": tid})
        stopped = fa.stopped("data breakpoint")
        frames = fa.request("stackTrace", {"threadId": tid})["stackFrames"]
        return stopped, frames

    def finish(self, fa, tid):
        fa.request("continue", {"threadId": tid})
        code, out, err = fa.finish()
        self.assertEqual(code, 0, err)
        self.assertEqual(out, "fetched 200\n")
        self.assertEqual(err, "")


class TestDataBreakpoints(CompletionCase):
    def test_future_stops_at_the_resolver_line(self):
        fa, tid = self.start()
        (bp,) = self.arm(fa, tid, "fut")
        stopped, frames = self.next_stop(fa, tid)
        self.assertEqual(stopped["description"], "Future fut finished: result 200")
        self.assertEqual(stopped["hitBreakpointIds"], [bp])
        self.assertEqual((frames[0]["name"], frames[0]["line"]), ("resolver", marker_line(APP, "bp resolve")))
        # One-shot: the program then runs to its end.
        self.finish(fa, tid)

    def test_task_outcomes_with_their_frames(self):
        fa, tid = self.start()
        ids = self.arm(fa, tid, "bad", "fetcher", "slow")
        stopped, frames = self.next_stop(fa, tid)
        self.assertEqual(stopped["description"], "Task bad failed: ValueError: boom")
        self.assertEqual(stopped["hitBreakpointIds"], [ids[0]])
        self.assertEqual((frames[0]["name"], frames[0]["line"]), ("failing", marker_line(APP, "bp raise")))
        stopped, frames = self.next_stop(fa, tid)
        self.assertEqual(stopped["description"], "Task fetch-3 finished: result 200")
        self.assertEqual((frames[0]["name"], frames[0]["line"]), ("fetch", marker_line(APP, "bp fetch_return")))
        # The finished coroutine's locals are still there to look at.
        self.assertEqual(fa.locals_of(frames[0]["id"])["value"]["value"], "5")
        stopped, frames = self.next_stop(fa, tid)
        self.assertRegex(stopped["description"], r"^Task slow cancelled by Task Task-\d+$")
        self.assertEqual((frames[0]["name"], frames[0]["line"]), ("sleeper", marker_line(APP, "bp parked")))
        self.finish(fa, tid)

    def test_non_future_and_replaced_breakpoints(self):
        fa, tid = self.start()
        ref = self.locals_ref(fa, tid)
        info = fa.request("dataBreakpointInfo", {"variablesReference": ref, "name": "count"})
        self.assertIsNone(info["dataId"])
        self.assertEqual(info["description"], "Only asyncio futures and tasks can break on completion.")
        missing = fa.request("dataBreakpointInfo", {"variablesReference": ref, "name": "nothing"})
        self.assertIsNone(missing["dataId"])
        self.arm(fa, tid, "fut")
        # Full replace: an empty list disarms, and the program runs to its end undisturbed.
        self.assertEqual(fa.request("setDataBreakpoints", {"breakpoints": []}), {"breakpoints": []})
        self.finish(fa, tid)

    def test_name_path_in_a_frame(self):
        fa, tid = self.start()
        top = fa.top_frame(tid)
        info = fa.request("dataBreakpointInfo", {"name": "fetcher", "frameId": top["id"]})
        self.assertEqual(info["description"], "Break when fetcher completes")
        bad = fa.request("dataBreakpointInfo", {"name": "fetcher + 1", "frameId": top["id"]})
        self.assertIsNone(bad["dataId"])
        fa.request("continue", {"threadId": tid})
        self.assertEqual(fa.finish()[0], 0)


class TestBreakWhenDone(CompletionCase):
    def task_id(self, fa, name):
        """{taskId, raw} of a task from the `records` events (the adapter's fold numbers tasks;
        the agent knows them by id())."""
        for msg in fa.log:
            if msg.get("event") == "records":
                body = msg["body"]
                for r in marshal.loads(base64.b64decode(body["data"])):
                    if r[0] == codes.CREATE and r[11] == name:
                        return {"taskId": 7, "raw": r[2]}
                for raw, task_name in body.get("names", ()):
                    if task_name == name:
                        return {"taskId": 7, "raw": raw}
        raise AssertionError("no task %s in the records events" % name)

    def test_break_when_done_by_trace_id(self):
        fa, tid = self.start()
        task = self.task_id(fa, "fetch-3")
        self.assertEqual(fa.request("breakOnCompletion", task), {"taskId": 7})
        stopped, frames = self.next_stop(fa, tid)
        self.assertEqual(stopped["description"], "Task fetch-3 finished: result 200")
        self.assertNotIn("hitBreakpointIds", stopped)
        self.assertEqual(frames[0]["line"], marker_line(APP, "bp fetch_return"))
        # Stepping from the finished coroutine lands on the next user line: its awaiter.
        fa.request("next", {"threadId": tid})
        fa.stopped("step")
        self.assertEqual(fa.top_frame(tid)["name"], "main")
        self.finish(fa, tid)

    def test_with_a_data_breakpoint_on_the_same_task_stops_once(self):
        fa, tid = self.start()
        (bp,) = self.arm(fa, tid, "fetcher")
        fa.request("breakOnCompletion", self.task_id(fa, "fetch-3"))
        stopped, _frames = self.next_stop(fa, tid)
        self.assertEqual(stopped["description"], "Task fetch-3 finished: result 200")
        self.assertEqual(stopped["hitBreakpointIds"], [bp])
        self.finish(fa, tid)

    def test_unknown_task_fails(self):
        fa, tid = self.start()
        failed = fa.request("breakOnCompletion", {"taskId": 99999, "raw": 99999}, ok=False)
        self.assertIn("not pending", failed["message"])
        self.finish(fa, tid)


@unittest.skipUnless(os.path.exists(UVLOOP_PYTHON), "Debian's python3 with uvloop is not installed")
class TestUvloop(CompletionCase):
    python = UVLOOP_PYTHON

    def test_uvloop_future_and_task(self):
        fa, tid = self.start(fixture("completion_uvloop.py"))
        self.arm(fa, tid, "fut", "worker")
        stopped, frames = self.next_stop(fa, tid)
        self.assertEqual(stopped["description"], "Future fut finished: result 7")
        self.assertEqual(frames[0]["name"], "resolver")
        stopped, frames = self.next_stop(fa, tid)
        self.assertEqual(stopped["description"], "Task worker failed: KeyError: 'k'")
        fa.request("continue", {"threadId": tid})
        self.assertEqual(fa.finish()[0], 0)


if __name__ == "__main__":
    unittest.main()
