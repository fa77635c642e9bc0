"""Connect-back channel to the adapter: NDJSON framing over one loopback TCP socket.

Writers share one lock; a hidden reader thread (started with `_thread`, so `threading` never
lists it) hands each request to a dispatcher. When the adapter goes away the channel only calls
`on_close`; `said_goodbye` tells whether a `disconnect` request came first (the client left the
program running on purpose) or the connection was simply lost.
"""

import _thread
import json
import os
import platform
import socket
import sys

from asyncio_debugger import protocol
from asyncio_debugger.log import log

# Idents of the agent's own threads: hidden from `threads` and ignored by every hook.
AGENT_THREADS = set()


def start_hidden_thread(fn, *args):
    def run():
        AGENT_THREADS.add(_thread.get_ident())
        try:
            fn(*args)
        except BaseException as e:  # never let an agent thread print a traceback
            log("agent thread failed", e)
        finally:
            AGENT_THREADS.discard(_thread.get_ident())

    _thread.start_new_thread(run, ())


class Channel:
    def __init__(self, sock):
        self._sock = sock
        self._send_lock = _thread.allocate_lock()
        self.closed = False
        self.said_goodbye = False
        self.on_request = None
        self.on_close = None

    @classmethod
    def connect(cls, host, port, timeout):
        sock = socket.create_connection((host, port), timeout=timeout)
        sock.settimeout(None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return cls(sock)

    def send_hello(self, token):
        self.send_event(
            "hello",
            {
                "token": token,
                "protocol": protocol.PROTOCOL_VERSION,
                "pid": os.getpid(),
                "python": platform.python_version(),
                "executable": sys.executable,
                "platform": sys.platform,
            },
        )

    def send(self, message):
        data = (json.dumps(message, separators=(",", ":"), default=repr) + "\n").encode("utf-8")
        return self.send_line(data)

    def send_line(self, data):
        """A message serialized already: one JSON line (bytes, ending with a newline)."""
        with self._send_lock:
            if self.closed:
                return False
            try:
                self._sock.sendall(data)
                return True
            except OSError as e:
                log("send failed", e)
        self._closed()
        return False

    def send_event(self, event, body):
        return self.send({"type": "event", "event": event, "body": body})

    def respond(self, request, body=None, error=None):
        msg = {
            "type": "response",
            "request_seq": request.get("seq", 0),
            "command": request.get("command", ""),
            "success": error is None,
        }
        if error is None:
            msg["body"] = body if body is not None else {}
        else:
            msg["message"] = error
        return self.send(msg)

    def start_reader(self):
        start_hidden_thread(self._read_loop)

    def _read_loop(self):
        buf = b""
        try:
            while True:
                chunk = self._sock.recv(65536)
                if not chunk:
                    break
                buf += chunk
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    if not line.strip():
                        continue
                    try:
                        message = json.loads(line.decode("utf-8"))
                    except ValueError as e:
                        log("bad frame from adapter", e)
                        continue
                    if isinstance(message, dict) and message.get("type") == "request":
                        if message.get("command") == "disconnect":
                            self.said_goodbye = True
                        self.on_request(message)
        except OSError as e:
            log("reader stopped", e)
        self._closed()

    def _closed(self):
        with self._send_lock:
            if self.closed:
                return
            self.closed = True
        try:
            self._sock.close()
        except OSError:
            pass
        if self.on_close is not None:
            try:
                self.on_close()
            except Exception as e:
                log("on_close failed", e)

    def detach(self):
        """In a forked child: the socket belongs to the parent's session; drop it silently."""
        self.closed = True
        try:
            self._sock.close()
        except OSError:
            pass

    def close(self):
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._closed()


def detach_output():
    """The program's stdout/stderr are pipes to an adapter that is going away: point them at the
    null device, so the program, left running, never fails or blocks on a pipe nobody reads."""
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            stream.flush()
        except Exception:
            pass
    try:
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError as e:
        log("cannot open the null device", e)
        return
    for fd in (1, 2):
        try:
            os.dup2(null, fd)
        except OSError as e:
            log("cannot detach output", e)
    os.close(null)
