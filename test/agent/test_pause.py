"""Pause: a busy pure-Python loop inside an asyncio task, and a busy thread."""

import unittest

from agent_harness import FakeAdapter, fixture, marker_line

BUSY = fixture("agent_busy.py")


class PauseTests(unittest.TestCase):
    def wait_output(self, a, text):
        line = a.proc.stdout.readline().decode()
        self.assertEqual(line.strip(), text)

    def test_pause_busy_coroutine(self):
        with FakeAdapter([BUSY]) as a:
            a.start()
            self.wait_output(a, "spinning")
            a.request("pause", {"threadId": 1})
            stop = a.stopped("pause")
            self.assertEqual(stop["threadId"], 1)
            f = a.top_frame(1)
            self.assertEqual(f["name"], "spin")
            x1 = int(a.locals_of(f["id"])["x"]["value"])
            self.assertGreater(x1, 0)
            # Continue then pause again (at once: the pause may land in the same iteration).
            a.request("continue", {"threadId": 1})
            a.request("pause", {"threadId": 1})
            a.stopped("pause")
            f = a.top_frame(1)
            x2 = int(a.locals_of(f["id"])["x"]["value"])
            self.assertGreaterEqual(x2, x1)
            # Variables can be changed while paused, and the program sees it.
            scopes = a.request("scopes", {"frameId": f["id"]})["scopes"]
            ref = scopes[0]["variablesReference"]
            a.request("setVariable", {"variablesReference": ref, "name": "x", "value": "-10"})
            a.request("next", {"threadId": 1})
            a.stopped("step")
            f = a.top_frame(1)
            self.assertLess(int(a.locals_of(f["id"])["x"]["value"]), 0)
            a.request("continue", {"threadId": 1})
            code, out, err = a.finish()
        self.assertEqual(code, 0, err)

    def test_pause_busy_thread_only(self):
        with FakeAdapter([BUSY, "thread"]) as a:
            a.start()
            self.wait_output(a, "spinning")
            threads = a.request("threads")["threads"]
            names = {t["name"]: t["id"] for t in threads}
            self.assertEqual(names["MainThread"], 1)
            self.assertIn("Spinner", names)
            self.assertEqual(len(threads), 2, threads)
            spinner = names["Spinner"]
            a.request("pause", {"threadId": spinner})
            stop = a.stopped("pause")
            self.assertEqual(stop["threadId"], spinner)
            f = a.top_frame(spinner)
            self.assertEqual(f["name"], "work")
            # Any line of the loop (header or body).
            spin = marker_line(BUSY, "thread_spin")
            self.assertIn(f["line"], range(spin - 1, spin + 3))
            # The main thread is still running: its stack cannot be requested.
            a.request("stackTrace", {"threadId": 1}, ok=False)
            a.request("pause", {"threadId": 1})
            stop = a.stopped("pause")
            self.assertEqual(stop["threadId"], 1)
            self.assertIn(a.top_frame(1)["line"], (marker_line(BUSY, "main_spin") - 1, marker_line(BUSY, "main_spin")))
            a.request("disconnect", {"terminateDebuggee": False})
            # Program keeps running after disconnect (it never ends by itself).
            self.assertIsNone(a.proc.poll())
            a.kill()


if __name__ == "__main__":
    unittest.main()
