"""Cost of task tracking: plain vs `record` vs `record --level lifecycle` vs debugpy, interleaved
runs, medians of ratios.

    python3 bench/tasks_bench.py [--python PY ...] [--rounds 5] [--scale 1.0]

Workloads (bench/workloads): step-heavy (Queue ping-pong awaits), task churn (short tasks via
gather), loopback echo (asyncio streams), aiohttp GETs (where aiohttp imports). Each workload
times itself (wall and process CPU, which counts the recorder's thread too) after its set-up and
warm-up, so interpreter start-up and trace writing are excluded; trace writing is reported
separately. debugpy runs only where it imports (Debian's python3): `debugpy.listen()` with no
client, which installs its tracing but sets no breakpoint.
"""

import argparse
import glob
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AGENT = os.path.join(ROOT, "src", "agent")
WORK = os.path.join(ROOT, "bench", "workloads")
WORKLOADS = {
    "step": ("step_heavy.py", 400_000),
    "churn": ("churn.py", 200_000),
    "echo": ("echo.py", 20_000),
    "aiohttp": ("aiohttp_get.py", 2_000),
}
SUMMARY = re.compile(r"(\d+) tasks, (\d+) steps, (\d+) records \((\d+) dropped\) -> .* in ([\d.]+)s")


def default_pythons():
    out = []
    for minor in ("3.11", "3.12"):
        exes = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/%s.*/bin/python3" % minor)))
        if exes:
            out.append(exes[-1])
    if os.path.exists("/usr/bin/python3"):
        out.append("/usr/bin/python3")
    return out


def can_import(python, module):
    return subprocess.run([python, "-c", "import " + module], capture_output=True).returncode == 0


def run_once(python, mode, script, units):
    env = dict(os.environ, PYTHONPATH=AGENT, PYTHONDONTWRITEBYTECODE="1")
    target = [os.path.join(WORK, script), str(units)]
    trace = None
    if mode in ("record", "lifecycle"):
        fd, trace = tempfile.mkstemp(suffix=".json")
        os.close(fd)
        level = ["--level", "lifecycle"] if mode == "lifecycle" else []
        argv = [python, "-m", "asyncio_debugger", "record", "-v", "-o", trace] + level + ["--"] + target
    elif mode == "debugpy":
        argv = [python, os.path.join(WORK, "under_debugpy.py")] + target
    else:
        argv = [python] + target
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # Reap it ourselves to get its own peak RSS (outputs are a few lines: no pipe deadlock).
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, rusage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stdout.close()
    proc.stderr.close()
    if proc.returncode != 0:
        raise RuntimeError("%s %s failed: %s" % (mode, script, err.decode()[-2000:]))
    result = json.loads(out.decode().strip().splitlines()[-1])
    result["maxrss_kb"] = rusage.ru_maxrss
    if trace is not None:
        m = SUMMARY.search(err.decode())
        if m:
            result["records"] = int(m.group(3))
            result["dropped"] = int(m.group(4))
            result["write_s"] = float(m.group(5))
        with open(trace, encoding="utf-8") as f:
            meta = json.loads(f.readline() and f.readline()[len('"metadata":') :].rstrip(",\n"))
        result["peak_bytes"] = meta.get("peak_bytes")
        os.unlink(trace)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--python", action="append")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply workload sizes")
    parser.add_argument("--only", action="append", help="workload names to run")
    args = parser.parse_args()
    pythons = args.python or default_pythons()
    rows = []
    for python in pythons:
        modes = ["plain", "record", "lifecycle"] + (["debugpy"] if can_import(python, "debugpy") else [])
        names = [n for n in WORKLOADS if not args.only or n in args.only]
        if "aiohttp" in names and not can_import(python, "aiohttp"):
            names.remove("aiohttp")
        runs = {(n, m): [] for n in names for m in modes}
        for n in names:  # warm the file cache and the interpreter's pyc files
            run_once(python, "plain", WORKLOADS[n][0], max(1, int(WORKLOADS[n][1] * args.scale / 20)))
        for _ in range(args.rounds):
            for n in names:
                script, units = WORKLOADS[n]
                for m in modes:
                    runs[(n, m)].append(run_once(python, m, script, int(units * args.scale)))
        version = subprocess.run(
            [python, "-c", "import platform; print(platform.python_version())"],
            capture_output=True, text=True,
        ).stdout.strip()
        for n in names:
            plain = runs[(n, "plain")]
            row = {"python": version, "workload": n, "units": int(WORKLOADS[n][1] * args.scale)}
            row["plain_s"] = statistics.median(r["seconds"] for r in plain)
            for m in modes[1:]:
                other = runs[(n, m)]
                row[m + "_x"] = statistics.median(o["seconds"] / p["seconds"] for o, p in zip(other, plain))
                row[m + "_cpu_x"] = statistics.median(o["cpu"] / p["cpu"] for o, p in zip(other, plain))
            rec = runs[(n, "record")]
            row["events_per_s"] = statistics.median(
                (r.get("records", 0) + r.get("dropped", 0)) / r["seconds"] for r in rec
            )
            row["dropped"] = max(r.get("dropped", 0) for r in rec)
            row["peak_mb"] = max(r.get("peak_bytes") or 0 for r in rec) / 2**20
            # While the program runs (the workload reads its own peak RSS before it returns)...
            rss = [r["rss_kb"] - p["rss_kb"] for r, p in zip(rec, plain)]
            row["rss_delta_mb"] = statistics.median(rss) / 1024
            # ...and including the trace written after it (whole-process peak).
            total = [r["maxrss_kb"] - p["maxrss_kb"] for r, p in zip(rec, plain)]
            row["rss_write_mb"] = statistics.median(total) / 1024
            row["write_s"] = statistics.median(r.get("write_s", 0) for r in rec)
            rows.append(row)
    header = "%-7s %-8s %8s %9s %9s %9s %7s %8s %10s %9s %8s %8s %8s %9s %8s"
    print(header % ("python", "workload", "units", "plain ms", "record x", "rec cpu x", "life x",
                    "life cpu", "debugpy x",
                    "events/s", "dropped", "store MB", "rss +MB", "+writing", "write s"))  # fmt: skip
    for r in rows:
        print(
            "%-7s %-8s %8d %9.0f %9.2f %9.2f %7.3f %8.3f %10s %9.0f %8d %8.1f %8.1f %9.1f %8.2f"
            % (
                r["python"], r["workload"], r["units"], r["plain_s"] * 1000, r["record_x"],
                r["record_cpu_x"], r["lifecycle_x"], r["lifecycle_cpu_x"], "%.2f" % r["debugpy_x"] if "debugpy_x" in r else "-",
                r["events_per_s"], r["dropped"], r["peak_mb"], r["rss_delta_mb"], r["rss_write_mb"],
                r["write_s"],
            )  # fmt: skip
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
