"""`record` end to end: fixtures run under the hooks; the trace's tasks and edges are exact."""

import os
import sys
import unittest

from test_tasks_support import fixture, marker_line, python_with, record


class TestRecordTaskTree(unittest.TestCase):
    def test_nested_gather_parents_and_awaits(self):
        r = record([fixture("tasks_gather.py")])
        self.assertEqual(r.returncode, 0, r.stderr)
        (main,) = r.by_coroutine("main")
        middles = r.by_coroutine("middle")
        leaves = r.by_coroutine("leaf")
        self.assertEqual(len(middles), 2)
        self.assertEqual(len(leaves), 4)
        for m in middles:
            self.assertEqual(m["parent"], main["id"])
            self.assertEqual(m["site"]["function"].rsplit(".", 1)[-1], "main")
        for m in middles:
            mine = [leaf for leaf in leaves if leaf["parent"] == m["id"]]
            self.assertEqual(len(mine), 2)
        self.assertEqual(
            sorted(r.edges("parent")),
            sorted([(main["id"], m["id"]) for m in middles] + [(t["parent"], t["id"]) for t in leaves]),
        )
        # Every gathering task's first suspension is on its gather, the leaves' on their sleep.
        for t in [main] + middles:
            self.assertEqual(r.spans_of(t["id"])[0]["awaits_kind"], "gather")
        kinds = sorted(r.spans_of(t["id"])[0]["awaits_kind"] for t in leaves)
        self.assertEqual(kinds, ["sleep", "sleep", "sleep", "yield"])  # sleep(0) is a bare yield
        for t in [main] + middles + leaves:
            self.assertEqual(t["state"], "ok")
            self.assertEqual(t["steps"], 2)
        self.assertEqual({t["type"] for t in leaves}, {"int"})

    @unittest.skipIf(sys.version_info < (3, 11), "asyncio.TaskGroup is Python 3.11+")
    def test_taskgroup_pipeline(self):
        r = record([fixture("tasks_pipeline.py")])
        self.assertEqual(r.returncode, 0, r.stderr)
        (main,) = r.by_coroutine("main")
        producer, w1, w2 = r.task("producer"), r.task("worker-1"), r.task("worker-2")
        for t in (producer, w1, w2):
            self.assertEqual(t["parent"], main["id"])
            self.assertEqual(t["state"], "ok")
            self.assertIsNotNone(t["group"])
        self.assertEqual(len({producer["group"], w1["group"], w2["group"]}), 1)
        self.assertEqual(r.spans_of(main["id"])[0]["awaits_kind"], "taskgroup")
        # The bounded queue blocks the producer on put() at least once.
        self.assertIn("queue", [s["awaits_kind"] for s in r.spans_of(producer["id"])])
        # Workers are woken by the queue futures the producer resolves.
        woken = [s for s in r.spans_of(w1["id"]) + r.spans_of(w2["id"]) if s["woken_by"]]
        futures = {f["id"]: f for f in r.trace["futures"]}
        self.assertTrue(woken)
        self.assertTrue(
            any(futures.get(s["woken_by"], {}).get("kind") == "queue" for s in woken), woken
        )

    def test_who_cancelled(self):
        path = fixture("tasks_cancel.py")
        r = record([path])
        self.assertEqual(r.returncode, 0, r.stderr)
        victim, killer = r.task("victim"), r.task("killer")
        self.assertEqual(victim["state"], "cancelled")
        by = victim["cancelled_by"]
        self.assertEqual(by["task"], killer["id"])
        self.assertEqual(by["site"]["file"], path)
        self.assertEqual(by["site"]["line"], marker_line(path, "cancel-site"))
        self.assertEqual(by["site"]["function"].rsplit(".", 1)[-1], "canceller")
        self.assertEqual(by["while"], "waiting")
        (slow,) = r.by_coroutine("slow")
        (main,) = r.by_coroutine("main")
        self.assertEqual(slow["state"], "cancelled")
        # The timeout machinery inside asyncio cancelled it: a timer callback on 3.12+
        # (asyncio.timeout), wait_for itself running in main before that.
        self.assertIn(os.sep + "asyncio" + os.sep, slow["cancelled_by"]["site"]["file"])
        if sys.version_info >= (3, 12):
            self.assertIsNone(slow["cancelled_by"]["task"])
        else:
            self.assertEqual(slow["cancelled_by"]["task"], main["id"])
        self.assertTrue(slow["cancelled_by"]["stack"])

    def test_who_cancelled_a_scheduled_task(self):
        path = fixture("tasks_cancel_scheduled.py")
        r = record([path])
        self.assertEqual(r.returncode, 0, r.stderr)
        (main,) = r.by_coroutine("main")
        cases = (("early", "cancel-early", main), ("woken", "cancel-woken", r.task("killer")))
        cases += (("spinner", "cancel-spinner", main),)
        for name, marker, by_task in cases:
            task = r.task(name)
            self.assertEqual(task["state"], "cancelled", name)
            by = task["cancelled_by"]
            self.assertEqual(by["while"], "scheduled", name)
            if sys.version_info < (3, 12):
                # cancel() touched no future: without sys.monitoring nothing saw the caller.
                self.assertIsNone(by["site"], name)
                continue
            self.assertEqual(by["task"], by_task["id"], name)
            self.assertEqual((by["site"]["file"], by["site"]["line"]), (path, marker_line(path, marker)))
            self.assertEqual(by["stack"][0], by["site"], name)

    @unittest.skipIf(sys.version_info < (3, 12), "eager_task_factory is Python 3.12+")
    def test_eager_tasks(self):
        r = record([fixture("tasks_eager.py")])
        self.assertEqual(r.returncode, 0, r.stderr)
        (main,) = r.by_coroutine("main")
        done, suspends = r.task("eager-done"), r.task("eager-suspends")
        for t in (done, suspends):
            self.assertTrue(t["eager"])
            self.assertEqual(t["parent"], main["id"])
            self.assertEqual(t["state"], "ok")
        self.assertEqual(done["steps"], 1)
        self.assertEqual(suspends["steps"], 2)
        self.assertEqual(r.spans_of(suspends["id"])[0]["awaits_kind"], "sleep")
        self.assertIn((main["id"], suspends["id"]), r.edges("await"))

    def test_user_task_factory_is_chained(self):
        r = record([fixture("tasks_factory.py")])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "factory-made 5\n")
        (main,) = r.by_coroutine("main")
        children = r.by_coroutine("child")
        self.assertEqual(len(children), 5)
        self.assertEqual({c["parent"] for c in children}, {main["id"]})

    def test_loop_in_another_thread(self):
        r = record([fixture("tasks_thread_loop.py")])
        self.assertEqual(r.returncode, 0, r.stderr)
        (main,) = r.by_coroutine("main")
        (other,) = r.by_coroutine("in_thread")
        self.assertNotEqual(main["thread"], other["thread"])
        self.assertNotEqual(main["loop"], other["loop"])
        self.assertIsNone(other["parent"])
        sleeps = [t for t in r.by_coroutine("sleep") if t["parent"] == other["id"]]
        self.assertEqual(len(sleeps), 2)
        self.assertEqual({t["thread"] for t in sleeps}, {other["thread"]})
        self.assertEqual(other["type"], "str")

    def test_errors_reports_and_exit_code(self):
        r = record([fixture("tasks_errors.py")])
        self.assertEqual(r.returncode, 3)
        # asyncio's own reports still reach the program's stderr, exactly once each.
        self.assertEqual(r.stderr.count("Task exception was never retrieved"), 1, r.stderr)
        self.assertEqual(r.stderr.count("Task was destroyed but it is pending!"), 1, r.stderr)
        failed = r.task("unretrieved")
        self.assertEqual(failed["state"], "error")
        self.assertEqual(failed["type"], "ValueError")
        self.assertEqual(failed["error"], "nobody looks at me")
        self.assertEqual(failed["reports"], ["exception_never_retrieved"])
        abandoned = r.task("abandoned")
        self.assertEqual(abandoned["state"], "pending")
        self.assertEqual(abandoned["reports"], ["destroyed_pending"])
        self.assertEqual(r.spans_of(abandoned["id"])[-1]["awaits_kind"], "event")


class TestAwaitKinds(unittest.TestCase):
    def test_each_primitive_is_named(self):
        r = record([fixture("tasks_kinds.py")])
        self.assertEqual(r.returncode, 0, r.stderr)
        expected = {
            "lock": "lock",
            "event": "event",
            "semaphore": "semaphore",
            "condition": "condition",
            "queue": "queue",
            "shield": "shield",
        }
        futures = {f["id"]: f for f in r.trace["futures"]}
        for name, kind in expected.items():
            task = r.task(name)
            first = r.spans_of(task["id"])[0]
            self.assertEqual(first["awaits_kind"], kind, name)
            self.assertEqual(futures[first["awaits_id"]]["kind"], kind, name)
            self.assertEqual(task["state"], "ok")
        # Who released each one: the frame in main (or asyncio's code it called).
        lock_future = futures[r.spans_of(r.task("event")["id"])[0]["awaits_id"]]
        self.assertTrue(lock_future["resolver"]["function"].endswith("set"), lock_future)


class TestUvloop(unittest.TestCase):
    def test_uvloop_tasks_and_steps(self):
        python = python_with("uvloop")
        if python is None:
            self.skipTest("no interpreter with uvloop here")
        r = record([fixture("tasks_uvloop.py")], python=python)
        self.assertEqual(r.returncode, 0, r.stderr)
        (main,) = r.by_coroutine("main")
        leaves = r.by_coroutine("leaf")
        self.assertEqual(len(leaves), 2)
        self.assertEqual({t["parent"] for t in leaves}, {main["id"]})
        self.assertEqual(r.spans_of(main["id"])[0]["awaits_kind"], "gather")
        for t in leaves:
            spans = r.spans_of(t["id"])
            self.assertEqual(len(spans), 2)
            self.assertEqual(spans[0]["awaits_kind"], "sleep")
            self.assertEqual(spans[1]["woken_by"], spans[0]["awaits_id"])


if __name__ == "__main__":
    unittest.main()
