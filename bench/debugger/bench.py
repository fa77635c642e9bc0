"""Debugger overhead: a line breakpoint set in an unrelated file, never hit.

Runs each workload plain, under our agent (driven by a minimal in-process adapter over the real
protocol) with task tracking off and on (`trackTasks`, the default), and, on Debian's /usr/bin/python3, under debugpy (driven by a minimal DAP client that
attaches and sets the same breakpoint). Runs are interleaved; the figure is each program's own
timing of its workload (start-up and connection excluded); ratios are medians over the repeats.

    python3 bench/debugger/bench.py [--repeat 5] [--quick]
"""
import argparse
import glob
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
AGENT = os.path.join(ROOT, "src", "agent")
UNRELATED = os.path.join(HERE, "unrelated.py")
UNRELATED_LINE = 5
WORKLOADS = {
    "steps": ("workload_steps.py", "200000", "60000"),
    "churn": ("workload_churn.py", "60000", "20000"),
    "calls": ("workload_calls.py", "2000000", "600000"),
}
DEBIAN_PYTHON = "/usr/bin/python3"


def interpreters():
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    found = []
    for minor in ("10", "11", "12", "13"):
        paths = sorted(glob.glob(os.path.join(root, "versions", f"3.{minor}.*", "bin", "python3")))
        if paths:
            found.append((f"3.{minor}", paths[-1]))
    if os.path.exists(DEBIAN_PYTHON):
        found.append(("debian", DEBIAN_PYTHON))
    return found


def elapsed(stdout):
    for line in reversed(stdout.splitlines()):
        if line.startswith("ELAPSED "):
            return float(line.split()[1])
    raise RuntimeError("workload printed no ELAPSED line:\n" + stdout[-2000:])


def run_plain(python, script, arg):
    out = subprocess.run([python, script, arg], capture_output=True, text=True, check=True, cwd=HERE)
    return elapsed(out.stdout)


def _lines(sock):
    buf = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            yield json.loads(line)


def run_ours(python, script, arg, track_tasks=False):
    """Drives the agent with the same requests the adapter sends."""
    server = socket.create_server(("127.0.0.1", 0))
    token = secrets.token_hex(16)
    env = dict(os.environ, PYTHONPATH=AGENT, ASYNCIO_DEBUGGER_TOKEN=token)
    port = server.getsockname()[1]
    cmd = [python, "-m", "asyncio_debugger", "launch", "--port", str(port), "--", script, arg]
    proc = subprocess.Popen(cmd, env=env, cwd=HERE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    server.settimeout(30)
    conn, _ = server.accept()
    server.close()
    messages = _lines(conn)
    hello = next(messages)
    assert hello.get("event") == "hello" and hello["body"]["token"] == token, hello
    seq = 0

    def request(command, arguments):
        nonlocal seq
        seq += 1
        conn.sendall((json.dumps({"type": "request", "seq": seq, "command": command, "arguments": arguments}) + "\n").encode())
        for msg in messages:
            if msg.get("type") == "response" and msg.get("request_seq") == seq:
                if not msg.get("success"):
                    raise RuntimeError(f"{command} failed: {msg.get('message')}")
                return msg.get("body") or {}
        raise RuntimeError("agent closed the connection")

    request("initialize", {"justMyCode": True, "stopOnEntry": False, "trackTasks": track_tasks})
    body = request("setBreakpoints", {"source": {"path": UNRELATED}, "breakpoints": [{"line": UNRELATED_LINE}]})
    assert body["breakpoints"][0]["verified"], body
    request("setExceptionBreakpoints", {"filters": ["uncaught"]})
    request("configurationDone", {})
    threading.Thread(target=lambda: [None for _ in messages], daemon=True).start()
    out, err = proc.communicate(timeout=600)
    conn.close()
    if proc.returncode:
        raise RuntimeError(f"agent run failed ({proc.returncode}): {err[-2000:]}")
    return elapsed(out)


def _dap_send(sock, seq, command, arguments):
    data = json.dumps({"seq": seq, "type": "request", "command": command, "arguments": arguments}).encode()
    sock.sendall(b"Content-Length: %d\r\n\r\n" % len(data) + data)


def _dap_messages(sock):
    buf = b""
    while True:
        while b"\r\n\r\n" not in buf:
            chunk = sock.recv(65536)
            if not chunk:
                return
            buf += chunk
        header, buf = buf.split(b"\r\n\r\n", 1)
        length = int(header.split(b":")[1])
        while len(buf) < length:
            chunk = sock.recv(65536)
            if not chunk:
                return
            buf += chunk
        body, buf = buf[:length], buf[length:]
        yield json.loads(body)


def run_debugpy(python, script, arg):
    """debugpy (Debian's) with a client attached and the same never-hit breakpoint."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [python, "-m", "debugpy", "--listen", f"127.0.0.1:{port}", "--wait-for-client", script, arg]
    # Files, not pipes: debugpy's adapter subprocess inherits them and outlives the program.
    out_file, err_file = tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+")
    proc = subprocess.Popen(cmd, cwd=HERE, stdout=out_file, stderr=err_file, text=True)
    for _ in range(200):
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=30)
            sock.settimeout(None)
            break
        except OSError:
            threading.Event().wait(0.05)
    else:
        proc.kill()
        raise RuntimeError("debugpy did not listen")
    messages = _dap_messages(sock)
    _dap_send(sock, 1, "initialize", {"adapterID": "python", "clientID": "bench", "linesStartAt1": True, "columnsStartAt1": True})
    _dap_send(sock, 2, "attach", {"justMyCode": True, "redirectOutput": False})
    for msg in messages:
        if msg.get("type") == "event" and msg.get("event") == "initialized":
            break
    _dap_send(sock, 3, "setBreakpoints", {"source": {"path": UNRELATED}, "breakpoints": [{"line": UNRELATED_LINE}]})
    _dap_send(sock, 4, "setExceptionBreakpoints", {"filters": ["uncaught"]})
    _dap_send(sock, 5, "configurationDone", {})

    def drain():
        # debugpy keeps the process alive until its client says goodbye.
        for msg in messages:
            if msg.get("type") == "event" and msg.get("event") == "terminated":
                _dap_send(sock, 6, "disconnect", {})

    threading.Thread(target=drain, daemon=True).start()
    proc.wait(timeout=600)
    sock.close()
    out_file.seek(0)
    err_file.seek(0)
    if proc.returncode:
        raise RuntimeError(f"debugpy run failed ({proc.returncode}): {err_file.read()[-2000:]}")
    return elapsed(out_file.read())


def has_debugpy(python):
    return subprocess.run([python, "-c", "import debugpy"], capture_output=True).returncode == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="smaller workloads, 3 repeats")
    parser.add_argument("--python", action="append", help="only these interpreters (labels or paths)")
    args = parser.parse_args()
    repeat = 3 if args.quick else args.repeat
    rows = []
    for label, python in interpreters():
        if args.python and label not in args.python and python not in args.python:
            continue
        modes = {
            "plain": run_plain,
            "ours": run_ours,
            "tasks": lambda p, s, a: run_ours(p, s, a, track_tasks=True),
        }
        if has_debugpy(python):
            modes["debugpy"] = run_debugpy
        for name, (script, full, quick) in WORKLOADS.items():
            arg = quick if args.quick else full
            times = {m: [] for m in modes}
            for _ in range(repeat):
                for mode, fn in modes.items():  # interleaved: plain, ours, debugpy, plain, ...
                    times[mode].append(fn(python, script, arg))
            plain = statistics.median(times["plain"])
            ratios = {m: statistics.median([t / p for t, p in zip(times[m], times["plain"])]) for m in modes}
            rows.append((label, name, plain, ratios))
            dbg = f"{ratios['debugpy']:.2f}x" if "debugpy" in ratios else "n/a"
            speedup = f"{ratios['debugpy'] / ratios['ours']:.1f}x" if "debugpy" in ratios else ""
            print(
                f"{label:7} {name:6} plain {plain:7.3f}s  ours {ratios['ours']:.2f}x  "
                f"ours+tasks {ratios['tasks']:.2f}x  debugpy {dbg:>6}  {speedup}",
                flush=True,
            )
    print()
    print(
        "| python | workload | plain (s) | ours, breakpoint set not hit | same + task tracking (default) "
        "| debugpy, same | debugpy / ours |"
    )
    print("|---|---|---|---|---|---|---|")
    for label, name, plain, ratios in rows:
        dbg = f"{ratios['debugpy']:.2f}x" if "debugpy" in ratios else "n/a"
        speedup = f"{ratios['debugpy'] / ratios['ours']:.1f}x" if "debugpy" in ratios else ""
        print(f"| {label} | {name} | {plain:.3f} | {ratios['ours']:.2f}x | {ratios['tasks']:.2f}x | {dbg} | {speedup} |")


if __name__ == "__main__":
    main()
