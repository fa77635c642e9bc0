"""The whole debugger as a user runs it: F5 through the real adapter (`dist/debugAdapter.js`), with
task tracking on (the default) and a line breakpoint set in an unrelated file, never hit.

For each workload: the program's own wall and CPU time of its workload against plain `python`
(interleaved runs, medians of ratios), the records the adapter folded, and the adapter's own CPU
time (node's, from its rusage minus the program's) per second of the program's workload.

    npm run build && python3 bench/debugger/adapter_bench.py [--repeat 5] [--quick] [--python 3.12]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from bench import UNRELATED, UNRELATED_LINE, WORKLOADS, interpreters  # noqa: E402

ADAPTER = os.path.join(ROOT, "dist", "debugAdapter.js")
TIMES = re.compile(r"ELAPSED ([\d.]+)\s+CPU ([\d.]+) PROCESS ([\d.]+)")


def run_plain(python, script, arg):
    out = subprocess.run([python, script, arg], capture_output=True, text=True, check=True, cwd=HERE).stdout
    wall, cpu, _ = TIMES.search(out).groups()
    return {"wall": float(wall), "cpu": float(cpu)}


def _send(proc, seq, command, arguments):
    data = json.dumps({"seq": seq, "type": "request", "command": command, "arguments": arguments}).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
    proc.stdin.flush()


def _messages(stream):
    while True:
        header = b""
        while not header.endswith(b"\r\n\r\n"):
            byte = stream.read(1)
            if not byte:
                return
            header += byte
        length = int(re.search(rb"Content-Length: (\d+)", header).group(1))
        yield json.loads(stream.read(length))


def run_adapter(python, script, arg):
    proc = subprocess.Popen(["node", ADAPTER], cwd=HERE, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    messages = _messages(proc.stdout)
    _send(proc, 1, "initialize", {"adapterID": "asyncio", "clientID": "bench", "linesStartAt1": True, "columnsStartAt1": True, "pathFormat": "path"})
    launch = {"type": "asyncio", "request": "launch", "program": os.path.join(HERE, script), "args": [arg],
              "python": python, "cwd": HERE, "console": "internalConsole"}
    _send(proc, 2, "launch", launch)
    output = []
    seq = 2
    for msg in messages:
        if msg.get("event") == "initialized":
            _send(proc, 3, "setBreakpoints", {"source": {"path": UNRELATED}, "breakpoints": [{"line": UNRELATED_LINE}]})
            _send(proc, 4, "setExceptionBreakpoints", {"filters": ["uncaught"]})
            _send(proc, 5, "configurationDone", {})
            seq = 5
        elif msg.get("event") == "output":
            output.append(msg["body"]["output"])
        elif msg.get("type") == "response" and not msg.get("success"):
            raise RuntimeError("%s failed: %s" % (msg.get("command"), msg.get("message")))
        elif msg.get("event") == "terminated":
            break
    seq += 1
    # The model is the adapter's: ask it what it folded before it goes.
    _send(proc, seq, "asyncio/tasks", {"includeFinished": True, "limit": 1})
    tasks = next(m for m in messages if m.get("type") == "response" and m.get("request_seq") == seq)
    _send(proc, seq + 1, "disconnect", {})
    proc.stdin.close()
    for _ in messages:
        pass
    _, status, rusage = os.wait4(proc.pid, 0)
    text = "".join(output)
    m = TIMES.search(text)
    if not m:
        raise RuntimeError("no timing in the program's output:\n" + text[-2000:])
    wall, cpu, process = (float(v) for v in m.groups())
    body = tasks.get("body") or {}
    return {
        "wall": wall,
        "cpu": cpu,
        # node's own CPU: its rusage counts the program it waited for, whose whole CPU is `process`.
        "adapter_cpu": rusage.ru_utime + rusage.ru_stime - process,
        "tasks": body.get("total"),
        "dropped": (body.get("dropped") or {}).get("records"),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="smaller workloads, 3 repeats")
    parser.add_argument("--python", action="append", help="only these interpreters (labels or paths)")
    args = parser.parse_args()
    repeat = 3 if args.quick else args.repeat
    print("| python | workload | plain (s) | F5, wall | F5, program CPU | adapter CPU per program s | tasks | dropped |")
    print("|---|---|---|---|---|---|---|---|")
    for label, python in interpreters():
        if args.python and label not in args.python and python not in args.python:
            continue
        for name, (script, full, quick) in WORKLOADS.items():
            arg = quick if args.quick else full
            plain, ours = [], []
            for _ in range(repeat):
                plain.append(run_plain(python, script, arg))
                ours.append(run_adapter(python, script, arg))
            wall = statistics.median(o["wall"] / p["wall"] for o, p in zip(ours, plain))
            cpu = statistics.median(o["cpu"] / p["cpu"] for o, p in zip(ours, plain))
            node = statistics.median(o["adapter_cpu"] / o["wall"] for o in ours)
            print(
                f"| {label} | {name} | {statistics.median(p['wall'] for p in plain):.3f} | {wall:.2f}x | {cpu:.2f}x "
                f"| {node:.2f} s | {ours[-1]['tasks']} | {max(o['dropped'] or 0 for o in ours)} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
