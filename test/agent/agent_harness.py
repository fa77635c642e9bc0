"""A fake adapter for agent tests: listens on loopback, spawns the agent, speaks the protocol."""

import json
import os
import queue
import secrets
import socket
import subprocess
import sys
import threading

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AGENT_PATH = os.path.join(ROOT, "src", "agent")
FIXTURES = os.path.join(ROOT, "test", "fixtures")
# Generous safety net so a broken agent fails a test instead of hanging the suite.
TIMEOUT = 20.0


def fixture(name):
    return os.path.join(FIXTURES, name)


def marker_line(path, marker):
    """Line number (1-based) of the line carrying `# @marker` (exact tag)."""
    tag = "# @" + marker
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            if line.rstrip().endswith(tag) or (tag + " ") in line:
                return i
    raise AssertionError("marker %s not found in %s" % (marker, path))


class FakeAdapter:
    def __init__(self, target, env=None, cwd=None, python=None):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.listener.settimeout(TIMEOUT)
        self.token = secrets.token_hex(16)
        port = self.listener.getsockname()[1]
        child_env = dict(os.environ)
        child_env.pop("PYTHONPATH", None)
        child_env.update(env or {})
        # The agent first, then the program's own path (`env["PYTHONPATH"]`), as the adapter does.
        extra = (env or {}).get("PYTHONPATH")
        child_env["PYTHONPATH"] = AGENT_PATH + (os.pathsep + extra if extra else "")
        child_env["ASYNCIO_DEBUGGER_TOKEN"] = self.token
        child_env["PYTHONUNBUFFERED"] = "1"
        self.proc = subprocess.Popen(
            [python or sys.executable, "-m", "asyncio_debugger", "launch", "--port", str(port), "--"] + list(target),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=child_env,
            cwd=cwd or ROOT,
        )
        self.sock = None
        self.seq = 0
        self.events = queue.Queue()
        self.responses = {}
        self.response_cv = threading.Condition()
        self.log = []
        self.hello = None
        self.closed = False

    def connect(self):
        try:
            self.sock, _ = self.listener.accept()
        except socket.timeout:
            self.kill()
            out, err = self.proc.communicate()
            raise AssertionError("agent never connected; stderr=%r" % err)
        self.listener.close()
        self.sock.settimeout(None)
        threading.Thread(target=self._read, daemon=True).start()
        self.hello = self.wait_event("hello")
        return self.hello

    def _read(self):
        buf = b""
        while True:
            try:
                chunk = self.sock.recv(65536)
            except OSError:
                chunk = b""
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                msg = json.loads(line)
                self.log.append(msg)
                if msg["type"] == "response":
                    with self.response_cv:
                        self.responses[msg["request_seq"]] = msg
                        self.response_cv.notify_all()
                else:
                    self.events.put(msg)
        self.closed = True
        self.events.put({"type": "event", "event": "<closed>", "body": {}})
        with self.response_cv:
            self.response_cv.notify_all()

    def send(self, command, arguments=None):
        self.seq += 1
        msg = {"type": "request", "seq": self.seq, "command": command, "arguments": arguments or {}}
        self.sock.sendall((json.dumps(msg) + "\n").encode())
        return self.seq

    def request(self, command, arguments=None, ok=True):
        seq = self.send(command, arguments)
        with self.response_cv:
            if not self.response_cv.wait_for(lambda: seq in self.responses or self.closed, TIMEOUT):
                raise AssertionError("no response to %s" % command)
            if seq not in self.responses:
                raise AssertionError("connection closed before the response to %s" % command)
            resp = self.responses.pop(seq)
        if ok is True and not resp["success"]:
            raise AssertionError("%s failed: %s" % (command, resp.get("message")))
        if ok is False and resp["success"]:
            raise AssertionError("%s unexpectedly succeeded: %r" % (command, resp))
        return resp.get("body") if resp["success"] else resp

    def wait_event(self, name, timeout=TIMEOUT):
        """Next event named `name`; other events before it are kept in self.skipped."""
        while True:
            try:
                msg = self.events.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError("timed out waiting for event %s; log tail: %r" % (name, self.log[-5:]))
            if msg["event"] == name:
                return msg["body"]
            if msg["event"] == "<closed>":
                self.events.put(msg)
                raise AssertionError("connection closed while waiting for %s" % name)
            self.skipped.append(msg)

    skipped = []

    def outputs(self):
        return [m["body"]["output"] for m in self.log if m.get("event") == "output"]

    def start(self, breakpoints=None, exceptions=(), stop_on_entry=False, just_my_code=True, initialize=None):
        """hello -> initialize -> breakpoints -> configurationDone. Returns setBreakpoints bodies.
        `initialize`: more initialize arguments."""
        self.skipped = []
        self.connect()
        args = {"justMyCode": just_my_code, "stopOnEntry": stop_on_entry}
        args.update(initialize or {})
        self.request("initialize", args)
        results = {}
        for path, specs in (breakpoints or {}).items():
            specs = [s if isinstance(s, dict) else {"line": s} for s in specs]
            results[path] = self.request("setBreakpoints", {"source": {"path": path}, "breakpoints": specs})
        self.request("setExceptionBreakpoints", {"filters": list(exceptions)})
        self.request("configurationDone")
        return results

    def stopped(self, reason=None):
        body = self.wait_event("stopped")
        if reason is not None and body["reason"] != reason:
            raise AssertionError("expected stop %r, got %r" % (reason, body))
        return body

    def top_frame(self, thread_id):
        return self.request("stackTrace", {"threadId": thread_id})["stackFrames"][0]

    def locals_of(self, frame_id):
        scopes = self.request("scopes", {"frameId": frame_id})["scopes"]
        ref = [s for s in scopes if s["name"] == "Locals"][0]["variablesReference"]
        return {v["name"]: v for v in self.request("variables", {"variablesReference": ref})["variables"]}

    def globals_of(self, frame_id):
        scopes = self.request("scopes", {"frameId": frame_id})["scopes"]
        ref = [s for s in scopes if s["name"] == "Globals"][0]["variablesReference"]
        return {v["name"]: v for v in self.request("variables", {"variablesReference": ref})["variables"]}

    def finish(self):
        """Wait for the process to end; returns (exit code, stdout, stderr)."""
        try:
            out, err = self.proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()
            out, err = self.proc.communicate()
            raise AssertionError("program did not exit; stderr=%r" % err)
        self.close()
        return self.proc.returncode, out.decode(errors="replace"), err.decode(errors="replace")

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()

    def close(self):
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
        try:
            self.listener.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()
        try:
            self.proc.communicate(timeout=TIMEOUT)
        except Exception:
            pass
        self.close()
