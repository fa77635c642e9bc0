"""Trace files: the Chrome trace validates, the native file is complete, memory stays bounded,
and `record` behaves like plain python (argv, sys.path[0], exit status, silence)."""

import os
import subprocess
import sys
import tempfile
import unittest

from test_tasks_support import AGENT_PATH, FIXTURES, fixture, record

REQUIRED = {
    "X": ("name", "ph", "ts", "dur", "pid", "tid"),
    "i": ("name", "ph", "ts", "pid", "tid", "s"),
    "M": ("name", "ph", "pid", "tid", "args"),
    "s": ("name", "ph", "ts", "pid", "tid", "id"),
    "f": ("name", "ph", "ts", "pid", "tid", "id"),
}


class TestChromeTrace(unittest.TestCase):
    def test_trace_event_format(self):
        r = record([fixture("tasks_gather.py")], fmt="chrome")
        self.assertEqual(r.returncode, 0, r.stderr)
        events = r.trace["traceEvents"]
        self.assertIsInstance(events, list)
        for e in events:
            self.assertIn(e["ph"], REQUIRED, e)
            for key in REQUIRED[e["ph"]]:
                self.assertIn(key, e, e)
            if "ts" in e:
                self.assertGreaterEqual(e["ts"], 0)
            if e["ph"] == "X":
                self.assertGreaterEqual(e["dur"], 0)
        names = {e["tid"]: e["args"]["name"] for e in events if e["name"] == "thread_name"}
        steps = [e for e in events if e["ph"] == "X"]
        # One track per task, named after it; every step lands on a named track.
        self.assertEqual(len([n for n in names.values() if "(leaf)" in n]), 4)
        self.assertTrue(steps)
        self.assertTrue(all(e["tid"] in names for e in steps))
        created = [e for e in events if e["ph"] == "i" and e["name"] == "created"]
        leaf_tids = {tid for tid, n in names.items() if "(leaf)" in n}
        parents = {e["tid"]: e["args"]["parent"] for e in created}
        self.assertTrue(all(parents[tid] is not None for tid in leaf_tids))
        # Flow arrows come in start/finish pairs.
        starts = sorted(e["id"] for e in events if e["ph"] == "s")
        finishes = sorted(e["id"] for e in events if e["ph"] == "f")
        self.assertEqual(starts, finishes)
        self.assertTrue(starts)


class TestNativeTrace(unittest.TestCase):
    def test_metadata_and_sections(self):
        r = record([fixture("tasks_gather.py")])
        t = r.trace
        self.assertEqual(t["format"], "asyncio-debugger-trace")
        self.assertEqual(t["version"], 1)
        meta = t["metadata"]
        self.assertEqual(meta["python"], "%d.%d.%d" % sys.version_info[:3])
        self.assertEqual(meta["dropped"]["records"], 0)
        self.assertIn("started_at", meta)
        spans = t["spans"]
        n = len(spans["task"])
        self.assertGreater(n, 0)
        for column in spans.values():
            self.assertEqual(len(column), n)
        for i in range(n):
            self.assertLessEqual(spans["start"][i], spans["end"][i])
            if spans["scheduled"][i] is not None:
                self.assertLessEqual(spans["scheduled"][i], spans["start"][i])
        ids = {task["id"] for task in t["tasks"]}
        self.assertTrue(set(spans["task"]) <= ids)
        kinds = {e[0] for e in t["edges"]}
        self.assertEqual(kinds, {"parent", "await", "wake"})

    def test_memory_bounded_and_drops_counted(self):
        r = record([fixture("tasks_forever.py"), "200"], extra=["--max-mb", "1"])
        self.assertEqual(r.returncode, 0, r.stderr)
        meta = r.trace["metadata"]
        self.assertGreater(meta["dropped"]["records"], 0)
        self.assertLessEqual(meta["peak_bytes"], 2 * 1024 * 1024)
        # What is kept is the most recent part: the last round's tasks are there.
        shorts = [t for t in r.trace["tasks"] if t["coroutine"] == "short"]
        self.assertTrue(shorts)
        self.assertLess(len(shorts), 200 * 1000)


class TestRecordLikePython(unittest.TestCase):
    def test_silent_and_same_output(self):
        plain = subprocess.run(
            [sys.executable, fixture("tasks_factory.py")], capture_output=True, text=True
        )
        r = record([fixture("tasks_factory.py")])
        self.assertEqual(r.stdout, plain.stdout)
        self.assertEqual(r.stderr, "")
        self.assertEqual(r.returncode, plain.returncode)

    def test_verbose_summary_after_the_program(self):
        r = record([fixture("tasks_gather.py")], extra=["-v"])
        self.assertEqual(r.stderr.count("\n"), 1, r.stderr)
        self.assertIn("tasks", r.stderr)

    def test_module_target_argv_and_exit(self):
        r = record(["-m", "tasks_errors"], cwd=FIXTURES)
        self.assertEqual(r.returncode, 3)
        self.assertTrue(any(t["coroutine"] == "fails" for t in r.trace["tasks"]))

    def test_uncaught_exception_traceback_and_status(self):
        env = dict(os.environ, PYTHONPATH=AGENT_PATH)
        code = "import asyncio, sys\nasync def f():\n    raise KeyError('x')\nprint(sys.argv[1:])\nasyncio.run(f())\n"
        folder = tempfile.mkdtemp()
        path = os.path.join(folder, "uncaught.py")
        with open(path, "w") as f:
            f.write(code)
        try:
            plain = subprocess.run(
                [sys.executable, path, "a", "b"], capture_output=True, text=True, env=env
            )
            r = record([path, "a", "b"])
        finally:
            os.unlink(path)
            os.rmdir(folder)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.returncode, plain.returncode)
        self.assertEqual(r.stdout, "['a', 'b']\n")
        self.assertEqual(r.stderr, plain.stderr)


if __name__ == "__main__":
    unittest.main()
