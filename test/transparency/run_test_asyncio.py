"""Runs CPython's own test_asyncio plain and under the task-tracking hooks, and compares.

    python3 test/transparency/run_test_asyncio.py [PYTHON...] [--jobs N] [--keep DIR] [--modules A,B]

For each interpreter (default: every pyenv CPython 3.10-3.13 found), runs
`python -m unittest -v test.test_asyncio` twice: plainly, and through
`python -m asyncio_debugger record` (the hooks on every loop, the recorder running). Prints tests
run, failures/errors/skips each way, the wall time, and every test whose outcome differs. Exit
status 1 when a test fails only under the agent. `--modules test_tasks,test_locks` runs only those
modules of test_asyncio; `--quick` is the subset `npm test` runs (the task, future, queue, lock,
timeout, runner and event-loop modules).
"""

import argparse
import glob
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AGENT = os.path.join(ROOT, "src", "agent")
# "test_x (pkg.mod.Class.test_x)" (3.11+) or "test_x (pkg.mod.Class)" (3.10), maybe a docstring
# line, then " ... ok|FAIL|ERROR|skipped '...'|expected failure|unexpected success".
RESULT = re.compile(
    r"^(\w+) \(([\w.]+)\)\n?(?:[^\n]*\n)??[^\n]*? \.\.\. (ok|FAIL|ERROR|skipped|expected failure|unexpected success)",
    re.M,
)
SUMMARY = re.compile(r"^Ran (\d+) tests? in ([\d.]+)s", re.M)


def pyenv_pythons():
    found = []
    for minor in ("3.10", "3.11", "3.12", "3.13"):
        exes = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/%s.*/bin/python3" % minor)))
        if exes:
            found.append(exes[-1])
    return found


def resolve(python):
    """A path, or a minor version like 3.12 (the newest pyenv build of it)."""
    if re.fullmatch(r"\d+\.\d+", python):
        exes = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/%s.*/bin/python3" % python)))
        if not exes:
            sys.exit("no pyenv CPython %s found" % python)
        return exes[-1]
    return python


def outcomes(text):
    out = {}
    for name, where, status in RESULT.findall(text):
        key = where if where.endswith("." + name) else where + "." + name
        out[key] = status
    return out


QUICK = (
    "test_tasks", "test_taskgroups", "test_eager_task_factory", "test_futures", "test_futures2",
    "test_queues", "test_locks", "test_timeouts", "test_waitfor", "test_runners", "test_base_events",
    "test_pep492",
)  # fmt: skip


def run(python, hooked, keep, modules=None):
    env = dict(os.environ, PYTHONPATH=AGENT, PYTHONDONTWRITEBYTECODE="1")
    target = ["-m", "unittest", "-v"]
    if modules:
        target += ["test.test_asyncio." + m for m in modules]
    else:
        target.append("test.test_asyncio")
    trace = None
    if hooked:
        fd, trace = tempfile.mkstemp(suffix=".json", dir=os.path.abspath(keep) if keep else None)
        os.close(fd)
        argv = [python, "-m", "asyncio_debugger", "record", "-v", "-o", trace, "--"] + target
    else:
        argv = [python] + target
    started = time.monotonic()
    # test.support creates scratch files in the working directory: keep them out of the tree.
    with tempfile.TemporaryDirectory() as scratch:
        proc = subprocess.run(argv, env=env, capture_output=True, text=True, cwd=scratch)
    elapsed = time.monotonic() - started
    text = proc.stdout + proc.stderr
    if trace and not keep:
        os.unlink(trace)
    summary = SUMMARY.search(text)
    agent_line = [line for line in text.splitlines() if line.startswith("asyncio-debugger:")]
    return {
        "rc": proc.returncode,
        "elapsed": elapsed,
        "ran": int(summary.group(1)) if summary else None,
        "results": outcomes(text),
        "agent": agent_line[-1] if agent_line else "",
        "tail": text[-3000:],
    }


def counts(results):
    c = {"FAIL": 0, "ERROR": 0, "skipped": 0}
    for status in results.values():
        if status in c:
            c[status] += 1
    return c


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("pythons", nargs="*")
    parser.add_argument("--jobs", type=int, default=1, help="runs at a time (timing tests dislike >1)")
    parser.add_argument("--keep", help="directory to keep the hooked runs' traces in")
    parser.add_argument("--modules", help="comma-separated test_asyncio modules (default: all)")
    parser.add_argument("--quick", action="store_true", help="only the modules in QUICK")
    args = parser.parse_args()
    pythons = [resolve(p) for p in args.pythons] or pyenv_pythons()
    modules = QUICK if args.quick else (args.modules.split(",") if args.modules else None)
    jobs = [(py, hooked) for py in pythons for hooked in (False, True)]
    with ThreadPoolExecutor(args.jobs) as pool:
        results = dict(zip(jobs, pool.map(lambda j: run(j[0], j[1], args.keep, modules), jobs)))
    worse = False
    print("%-44s %-7s %6s %5s %5s %5s %8s" % ("interpreter", "mode", "ran", "fail", "error", "skip", "seconds"))
    for py in pythons:
        for hooked in (False, True):
            r = results[(py, hooked)]
            c = counts(r["results"])
            print(
                "%-44s %-7s %6s %5d %5d %5d %8.1f"
                % (py, "agent" if hooked else "plain", r["ran"], c["FAIL"], c["ERROR"], c["skipped"], r["elapsed"])
            )
        plain, agent = results[(py, False)], results[(py, True)]
        if agent["agent"]:
            print("    " + agent["agent"])
        if agent["ran"] is None or plain["ran"] is None:
            worse = True
            print("    run did not complete; last output:\n" + (agent if agent["ran"] is None else plain)["tail"])
        bad = ("FAIL", "ERROR")
        only_agent = sorted(
            k for k, s in agent["results"].items() if s in bad and plain["results"].get(k) not in bad
        )
        only_plain = sorted(
            k for k, s in plain["results"].items() if s in bad and agent["results"].get(k) not in bad
        )
        if agent["ran"] != plain["ran"]:
            worse = True
            print("    test counts differ: %s plain, %s under the agent" % (plain["ran"], agent["ran"]))
        # Tests whose result line another test's output broke up are not parsed in one of the
        # runs; "Ran N tests" above is the authoritative count.
        missing = sorted(set(plain["results"]) - set(agent["results"]))
        for k in only_agent:
            worse = True
            print("    fails only under the agent: %s (%s)" % (k, agent["results"][k]))
        for k in only_plain:
            print("    fails only plain (flaky?): %s (%s)" % (k, plain["results"][k]))
        if missing:
            print("    %d result lines not parsed in the agent run, e.g. %s" % (len(missing), missing[:3]))
    return 1 if worse else 0


if __name__ == "__main__":
    sys.exit(main())
