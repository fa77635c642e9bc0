"""Breakpoints set while the program runs: live functions, methods, closures, a suspended
coroutine, a module imported later, a module whose source changed after import; conditions, hit
counts and logpoints; removal; and no trace function left when nothing needs one (on 3.10/3.11
breakpoints run through rewritten code, on 3.12+ through sys.monitoring: the behaviour is the same)."""

import os
import shutil
import tempfile
import unittest

from agent_harness import FakeAdapter, fixture, marker_line

APP = fixture("agent_rewrite_app.py")
LATE = fixture("agent_rewrite_late.py")
CHANGED = fixture("agent_rewrite_changed.py")
LOOP = fixture("agent_rewrite_loop.py")


class RewriteTests(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.gate = os.path.join(self.tmp, "gate")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def expect(self, a, text):
        self.assertEqual(a.proc.stdout.readline().decode().rstrip("\n"), text)

    def open_gate(self, name):
        open(self.gate + "." + name, "w").close()

    def set_bps(self, a, path, specs):
        specs = [s if isinstance(s, dict) else {"line": s} for s in specs]
        body = a.request("setBreakpoints", {"source": {"path": path}, "breakpoints": specs})
        self.assertTrue(all(bp["verified"] for bp in body["breakpoints"]), body)

    def stop_at(self, a, marker, path=APP):
        stop = a.stopped("breakpoint")
        frame = a.top_frame(stop["threadId"])
        self.assertEqual(frame["line"], marker_line(path, marker))
        self.assertEqual(frame["source"]["path"], path)
        return a.locals_of(frame["id"])

    def test_functions_methods_closures_defined_before_the_breakpoints(self):
        with FakeAdapter([APP, self.gate]) as a:
            a.start()
            self.expect(a, "gate set")
            self.set_bps(a, APP, [marker_line(APP, m) for m in ("plain", "method", "closure")])
            self.open_gate("set")
            self.expect(a, "after-set trace=none")
            for n in range(3):
                self.assertEqual(self.stop_at(a, "plain")["n"]["value"], str(n))
                a.request("continue", {"threadId": 1})
            self.expect(a, "plain [0, 2, 4]")
            self.assertEqual(self.stop_at(a, "method")["v"]["value"], "5")
            a.request("continue", {"threadId": 1})
            self.expect(a, "method 6")
            local = self.stop_at(a, "closure")
            self.assertEqual((local["x"]["value"], local["k"]["value"]), ("1", "10"))
            self.set_bps(a, APP, [])
            a.request("continue", {"threadId": 1})
            self.expect(a, "closure 11")
            self.expect(a, "sleeper woke")
            self.expect(a, "gate removed")
            self.open_gate("removed")
            self.expect(a, "restored True")
            self.expect(a, "plain again 14")
            self.expect(a, "end trace=none")
            code, out, err = a.finish()
        self.assertEqual(code, 0, err)
        self.assertEqual(err, "")

    def test_suspended_coroutine_then_removal(self):
        with FakeAdapter([APP, self.gate]) as a:
            a.start()
            self.expect(a, "gate set")
            self.set_bps(a, APP, [marker_line(APP, "suspended")])
            self.open_gate("set")
            a.proc.stdout.readline()  # after-set: the coroutine's old code may need tracing
            self.expect(a, "plain [0, 2, 4]")
            self.expect(a, "method 6")
            self.expect(a, "closure 11")
            self.assertNotIn("done", self.stop_at(a, "suspended"))
            self.assertEqual(a.top_frame(1)["name"], "sleeper")
            a.request("next", {"threadId": 1})
            a.stopped("step")
            self.assertEqual(a.top_frame(1)["line"], marker_line(APP, "suspended") + 1)
            a.request("continue", {"threadId": 1})
            self.expect(a, "sleeper woke")
            self.expect(a, "gate removed")
            self.set_bps(a, APP, [])
            self.open_gate("removed")
            self.expect(a, "restored True")
            self.expect(a, "plain again 14")
            # Nothing needs tracing any more: the trace function is gone again.
            self.expect(a, "end trace=none")
            code, out, err = a.finish()
        self.assertEqual(code, 0, err)

    def test_conditions_hit_counts_logpoints_and_a_later_import(self):
        bps = {
            APP: [
                {"line": marker_line(APP, "plain"), "hitCondition": "2"},
                {"line": marker_line(APP, "method"), "logMessage": "v={v} self={type(self).__name__}"},
                {"line": marker_line(APP, "closure"), "condition": "x == 1 and k == 10"},
            ],
            LATE: [marker_line(LATE, "triple")],
        }
        with FakeAdapter([APP, self.gate, "late"]) as a:
            a.start(bps)
            self.expect(a, "gate set")
            self.open_gate("set")
            self.expect(a, "after-set trace=none")
            self.assertEqual(self.stop_at(a, "plain")["n"]["value"], "1")
            a.request("continue", {"threadId": 1})
            self.expect(a, "plain [0, 2, 4]")
            self.expect(a, "method 6")
            self.stop_at(a, "closure")
            self.assertIn("v=5 self=Box\n", a.outputs())
            a.request("continue", {"threadId": 1})
            self.expect(a, "closure 11")
            self.assertEqual(self.stop_at(a, "triple", LATE)["x"]["value"], "4")
            a.request("continue", {"threadId": 1})
            self.expect(a, "late trace=none")
            self.expect(a, "late 12")
            self.expect(a, "sleeper woke")
            self.expect(a, "gate removed")
            self.open_gate("removed")
            a.proc.stdout.readline()  # restored: the main script itself was compiled with its hooks
            self.expect(a, "plain again 14")
            self.expect(a, "end trace=none")
            code, out, err = a.finish()
        self.assertEqual(code, 0, err)
        self.assertEqual(err, "")

    def test_step_onto_a_breakpoint_line_stops_once(self):
        plain = marker_line(APP, "plain")
        bps = {APP: [{"line": plain, "condition": "n == 0"}, plain + 1]}
        with FakeAdapter([APP, self.gate]) as a:
            a.start(bps)
            self.expect(a, "gate set")
            self.open_gate("set")
            self.expect(a, "after-set trace=none")
            self.assertEqual(self.stop_at(a, "plain")["n"]["value"], "0")
            # The step lands on a breakpoint line: one stop, as a breakpoint, counted once.
            a.request("next", {"threadId": 1})
            for n in range(3):
                stop = a.stopped("breakpoint")
                frame = a.top_frame(stop["threadId"])
                self.assertEqual((frame["line"], a.locals_of(frame["id"])["n"]["value"]), (plain + 1, str(n)))
                a.request("continue", {"threadId": 1})
            self.expect(a, "plain [0, 2, 4]")
            self.expect(a, "method 6")
            self.expect(a, "closure 11")
            self.expect(a, "sleeper woke")
            self.expect(a, "gate removed")
            self.set_bps(a, APP, [])
            self.open_gate("removed")
            a.proc.stdout.readline()
            self.expect(a, "plain again 14")
            self.expect(a, "end trace=none")
            code, out, err = a.finish()
        self.assertEqual(code, 0, err)
        reasons = [m["body"]["reason"] for m in a.log if m.get("event") == "stopped"]
        self.assertEqual(reasons, ["breakpoint"] * 4)

    def test_source_changed_after_import_runs_the_old_code(self):
        module = os.path.join(self.tmp, "changed_mod.py")
        with open(module, "w") as f:
            f.write("def f(x):\n    y = x + 1\n    return y\n")
        with FakeAdapter([CHANGED, self.tmp]) as a:
            a.start()
            self.expect(a, "imported")
            with open(module, "w") as f:
                f.write("# edited\ndef f(x):\n    y = x + 1\n    return y\n")
            self.set_bps(a, module, [3])
            open(os.path.join(self.tmp, "go"), "w").close()
            stop = a.stopped("breakpoint")
            frame = a.top_frame(stop["threadId"])
            # Line 3 of the code that runs (`return y`): the edited source is not swapped in.
            self.assertEqual(frame["line"], 3)
            self.assertEqual(a.locals_of(frame["id"])["y"]["value"], "2")
            a.request("continue", {"threadId": 1})
            self.expect(a, "result 2")
            self.expect(a, "swapped False")
            code, out, err = a.finish()
        self.assertEqual(code, 0, err)

    def test_loop_header_stops_every_iteration_and_disconnect_restores_the_signal(self):
        with FakeAdapter([LOOP, self.gate]) as a:
            a.start({LOOP: [marker_line(LOOP, "header")]})
            self.assertNotIn("i", self.stop_at(a, "header", LOOP))
            a.request("continue", {"threadId": 1})
            self.assertEqual(self.stop_at(a, "header", LOOP)["i"]["value"], "0")
            a.request("continue", {"threadId": 1})
            self.assertEqual(self.stop_at(a, "header", LOOP)["i"]["value"], "1")
            a.request("disconnect", {})
            self.expect(a, "count 3")
            open(self.gate, "w").close()
            self.expect(a, "signal default True")
            code, out, err = a.finish()
        self.assertEqual(code, 0, err)
        self.assertEqual(err, "")


if __name__ == "__main__":
    unittest.main()
