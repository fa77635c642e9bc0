"""Shared helpers for the task-tracking tests (no tests here): run `record`, load traces."""

import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AGENT_PATH = os.path.join(ROOT, "src", "agent")
FIXTURES = os.path.join(ROOT, "test", "fixtures")
TIMEOUT = 120  # safety net only: a hung agent fails instead of blocking the suite


def fixture(name):
    return os.path.join(FIXTURES, name)


def marker_line(path, marker):
    tag = "# @" + marker
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            if line.rstrip().endswith(tag):
                return i
    raise AssertionError("marker %s not in %s" % (marker, path))


class Recorded:
    def __init__(self, trace, proc):
        self.trace = trace
        self.returncode = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.tasks = {t["id"]: t for t in trace["tasks"]} if "tasks" in trace else {}

    def task(self, name):
        found = [t for t in self.tasks.values() if t["name"] == name]
        assert len(found) == 1, (name, [t["name"] for t in self.tasks.values()])
        return found[0]

    def by_coroutine(self, qualname):
        return [t for t in self.tasks.values() if t["coroutine"] == qualname]

    def spans_of(self, task_id):
        s = self.trace["spans"]
        return [
            {k: s[k][i] for k in s}
            for i in range(len(s["task"]))
            if s["task"][i] == task_id
        ]

    def edges(self, kind):
        return [tuple(e[1:3]) for e in self.trace["edges"] if e[0] == kind]


def record(target_argv, fmt="native", python=None, extra=(), cwd=None):
    """Run `python -m asyncio_debugger record` on a target and load the trace it wrote."""
    fd, path = tempfile.mkstemp(suffix=".json")
    os.close(fd)
    try:
        env = dict(os.environ)
        env["PYTHONPATH"] = AGENT_PATH
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        argv = [python or sys.executable, "-m", "asyncio_debugger", "record", "-o", path]
        argv += ["--format", fmt] + list(extra) + ["--"] + list(target_argv)
        proc = subprocess.run(
            argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT
        )
        with open(path, encoding="utf-8") as f:
            text = f.read()
        trace = json.loads(text) if text else {}
        return Recorded(trace, proc)
    finally:
        os.unlink(path)


def python_with(module):
    """An interpreter that can import `module`: this one, else Debian's python3, else None."""
    try:
        __import__(module)
        return sys.executable
    except ImportError:
        pass
    debian = "/usr/bin/python3"
    if os.path.exists(debian):
        ok = subprocess.run([debian, "-c", "import " + module], capture_output=True).returncode
        if ok == 0:
            return debian
    return None
