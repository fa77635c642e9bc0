"""Line breakpoints: stop and inspect, verification, conditions, hit counts, logpoints, breakpoint()."""

import unittest

from agent_harness import FakeAdapter, fixture, marker_line
from asyncio_debugger import protocol

BASIC = fixture("agent_basic.py")
BPS = fixture("agent_breakpoints.py")
HELPER = fixture("agent_helper_module.py")
BUSY = fixture("agent_busy.py")


class BreakpointTests(unittest.TestCase):
    def test_stop_inspect_continue_exit(self):
        line = marker_line(BASIC, "bp")
        with FakeAdapter([BASIC]) as a:
            res = a.start({BASIC: [line]})
            bp = res[BASIC]["breakpoints"][0]
            self.assertTrue(bp["verified"])
            self.assertEqual(bp["line"], line)
            self.assertEqual(a.hello["protocol"], protocol.PROTOCOL_VERSION)
            self.assertEqual(a.hello["token"], a.token)
            stop = a.stopped("breakpoint")
            self.assertEqual(stop["threadId"], 1)
            self.assertEqual(stop["hitBreakpointIds"], [bp["id"]])
            self.assertFalse(stop["allThreadsStopped"])
            threads = a.request("threads")["threads"]
            self.assertEqual(threads, [{"id": 1, "name": "MainThread"}])
            frames = a.request("stackTrace", {"threadId": 1})["stackFrames"]
            self.assertEqual([f["name"] for f in frames[:3]], ["compute", "main", "<module>"])
            self.assertEqual(frames[0]["line"], line)
            self.assertEqual(frames[0]["source"]["path"], BASIC)
            for f in frames:
                self.assertNotIn("asyncio_debugger", f["source"].get("path", ""))
            local = a.locals_of(frames[0]["id"])
            self.assertEqual(local["n"]["value"], "3")
            self.assertEqual(local["items"]["value"], "[0, 1, 2]")
            point = a.request("variables", {"variablesReference": local["point"]["variablesReference"]})
            attrs = {v["name"]: v for v in point["variables"]}
            self.assertEqual(attrs["x"]["value"], "3")
            self.assertEqual(attrs["x"]["evaluateName"], "point.x")
            glob = a.globals_of(frames[0]["id"])
            self.assertIn("Point", glob)
            self.assertIn("compute", glob)
            a.request("continue", {"threadId": 1})
            # The breakpoint is inside a loop: it hits again with the next argument.
            a.stopped("breakpoint")
            frame = a.top_frame(1)
            self.assertEqual(a.locals_of(frame["id"])["n"]["value"], "4")
            a.request("setBreakpoints", {"source": {"path": BASIC}, "breakpoints": []})
            a.request("continue", {"threadId": 1})
            self.assertEqual(a.wait_event("programExit"), {"exitCode": 0})
            code, out, err = a.finish()
        self.assertEqual(code, 0)
        self.assertEqual(out, "total 94\n")
        self.assertEqual(err, "")

    def test_ids_invalid_after_resume(self):
        with FakeAdapter([BASIC]) as a:
            a.start({BASIC: [marker_line(BASIC, "bp")]})
            a.stopped("breakpoint")
            frame = a.top_frame(1)
            a.request("continue", {"threadId": 1})
            a.stopped("breakpoint")
            a.request("scopes", {"frameId": frame["id"]}, ok=False)
            a.request("setBreakpoints", {"source": {"path": BASIC}, "breakpoints": []})
            a.request("continue", {"threadId": 1})
            a.finish()

    def test_moved_and_unverified(self):
        with FakeAdapter([BPS]) as a:
            res = a.start(
                {BPS: [marker_line(BPS, "comment"), marker_line(BPS, "end") + 5, marker_line(BPS, "end")]}
            )[BPS]["breakpoints"]
            self.assertTrue(res[0]["verified"])
            self.assertEqual(res[0]["line"], marker_line(BPS, "after_comment"))
            self.assertFalse(res[1]["verified"])
            self.assertIn("message", res[1])
            self.assertFalse(res[2]["verified"])
            stop = a.stopped("breakpoint")
            self.assertEqual(a.top_frame(stop["threadId"])["line"], marker_line(BPS, "after_comment"))
            a.request("setBreakpoints", {"source": {"path": BPS}, "breakpoints": []})
            a.request("continue", {"threadId": 1})
            a.stopped("breakpoint")  # breakpoint() in the fixture
            a.request("continue", {"threadId": 1})
            code, out, err = a.finish()
        self.assertEqual(code, 0)

    def test_condition_then_hit_count(self):
        hot = marker_line(BPS, "hot")
        with FakeAdapter([BPS]) as a:
            a.start({BPS: [{"line": hot, "condition": "i == 6"}]})
            a.stopped("breakpoint")
            frame = a.top_frame(1)
            self.assertEqual(a.locals_of(frame["id"])["i"]["value"], "6")
            # A replaced breakpoint counts its hits afresh: i=7 is hit 1, i=8 is hit 2.
            a.request(
                "setBreakpoints", {"source": {"path": BPS}, "breakpoints": [{"line": hot, "hitCondition": ">=2"}]}
            )
            a.request("continue", {"threadId": 1})
            a.stopped("breakpoint")
            frame = a.top_frame(1)
            self.assertEqual(a.locals_of(frame["id"])["i"]["value"], "8")
            a.request("continue", {"threadId": 1})
            a.stopped("breakpoint")
            frame = a.top_frame(1)
            self.assertEqual(a.locals_of(frame["id"])["i"]["value"], "9")
            a.request("setBreakpoints", {"source": {"path": BPS}, "breakpoints": []})
            a.request("continue", {"threadId": 1})
            a.stopped("breakpoint")  # breakpoint()
            a.request("continue", {"threadId": 1})
            self.assertEqual(a.finish()[0], 0)

    def test_hit_count_modulo(self):
        hot = marker_line(BPS, "hot")
        with FakeAdapter([BPS]) as a:
            a.start({BPS: [{"line": hot, "hitCondition": "%4"}]})
            seen = []
            for _ in range(2):
                a.stopped("breakpoint")
                frame = a.top_frame(1)
                seen.append(int(a.locals_of(frame["id"])["i"]["value"]))
                a.request("continue", {"threadId": 1})
            self.assertEqual(seen, [3, 7])
            a.stopped("breakpoint")  # breakpoint()
            a.request("continue", {"threadId": 1})
            a.finish()

    def test_logpoint_does_not_stop(self):
        after = marker_line(BPS, "after_comment")
        with FakeAdapter([BPS]) as a:
            a.start({BPS: [{"line": after, "logMessage": "i={i} total={total} {{literal}} {nope}"}]})
            a.stopped("breakpoint")  # the breakpoint() call, after all loop iterations
            logs = [o for o in a.outputs() if o.startswith("i=")]
            self.assertEqual(len(logs), 10)
            self.assertEqual(logs[0], "i=0 total=0 {literal} <NameError: name 'nope' is not defined>\n")
            a.request("continue", {"threadId": 1})
            code, out, _ = a.finish()
        self.assertEqual(code, 0)
        self.assertNotIn("i=", out)

    def test_condition_error_stops_and_explains(self):
        hot = marker_line(BPS, "hot")
        with FakeAdapter([BPS]) as a:
            a.start({BPS: [{"line": hot, "condition": "undefined_name > 1"}]})
            a.stopped("breakpoint")
            self.assertTrue(any("undefined_name" in o and "condition" in o for o in a.outputs()))
            a.request("setBreakpoints", {"source": {"path": BPS}, "breakpoints": []})
            a.request("continue", {"threadId": 1})
            a.stopped("breakpoint")
            a.request("continue", {"threadId": 1})
            a.finish()

    def test_builtin_breakpoint_and_later_imported_module(self):
        with FakeAdapter([BPS]) as a:
            res = a.start({HELPER: [marker_line(HELPER, "helper")]})
            self.assertTrue(res[HELPER]["breakpoints"][0]["verified"])
            stop = a.stopped("breakpoint")
            frame = a.top_frame(stop["threadId"])
            self.assertEqual(frame["name"], "use_builtin")
            self.assertEqual(frame["line"], marker_line(BPS, "builtin"))
            self.assertEqual(a.locals_of(frame["id"])["marker"]["value"], "'here'")
            a.request("continue", {"threadId": 1})
            a.stopped("breakpoint")
            frame = a.top_frame(1)
            self.assertEqual(frame["name"], "helper")
            self.assertEqual(frame["source"]["path"], HELPER)
            a.request("continue", {"threadId": 1})
            code, out, _ = a.finish()
        self.assertEqual(out, "8\n")

    def test_function_breakpoint(self):
        with FakeAdapter([BASIC]) as a:
            a.connect()
            a.request("initialize", {"justMyCode": True, "stopOnEntry": False})
            res = a.request(
                "setFunctionBreakpoints", {"breakpoints": [{"name": "Point.norm2", "hitCondition": "2"}, {"name": ""}]}
            )["breakpoints"]
            self.assertEqual([b["verified"] for b in res], [True, False])
            a.request("configurationDone")
            stop = a.stopped("function breakpoint")
            self.assertEqual(stop["hitBreakpointIds"], [res[0]["id"]])
            f = a.top_frame(stop["threadId"])
            self.assertEqual(f["name"], "Point.norm2")
            a.request("setFunctionBreakpoints", {"breakpoints": []})
            a.request("next", {"threadId": 1})
            a.stopped("step")
            self.assertEqual(a.top_frame(1)["line"], marker_line(BASIC, "method"))
            # The second call (hit 2) stopped: self.x is the same point, n was 4.
            a.request("continue", {"threadId": 1})
            self.assertEqual(a.finish()[0], 0)

    def test_breakpoint_added_in_code_already_running(self):
        # The thread's function never starts again: the agent must arm the running frame.
        spin = marker_line(BUSY, "thread_spin")
        with FakeAdapter([BUSY, "thread"]) as a:
            a.start()
            self.assertEqual(a.proc.stdout.readline().decode().strip(), "spinning")
            res = a.request("setBreakpoints", {"source": {"path": BUSY}, "breakpoints": [{"line": spin}]})
            self.assertTrue(res["breakpoints"][0]["verified"])
            stop = a.stopped("breakpoint")
            self.assertNotEqual(stop["threadId"], 1)
            f = a.top_frame(stop["threadId"])
            self.assertEqual((f["name"], f["line"]), ("work", spin))
            a.request("disconnect", {"terminateDebuggee": False})
            a.kill()


if __name__ == "__main__":
    unittest.main()
