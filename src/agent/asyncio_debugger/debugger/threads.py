"""DAP thread ids for OS threads: 1 is the main thread, then 2, 3, ... in order of first sight."""

import _thread
import sys
import threading

from asyncio_debugger.channel import AGENT_THREADS


class ThreadIds:
    def __init__(self):
        self._lock = _thread.allocate_lock()
        self._ids = {threading.main_thread().ident: 1}
        self._idents = {1: threading.main_thread().ident}
        self._next = 2

    def id_of(self, ident):
        with self._lock:
            tid = self._ids.get(ident)
            if tid is None:
                tid = self._next
                self._next += 1
                self._ids[ident] = tid
                self._idents[tid] = ident
            return tid

    def ident_of(self, tid):
        return self._idents.get(tid)

    def list(self):
        threads = threading.enumerate()
        named = {t.ident: t.name for t in threads}
        idents = [t.ident for t in threads]
        try:
            idents.extend(i for i in sys._current_frames() if i not in named)
        except Exception:
            pass
        out = []
        for ident in idents:
            if ident is None or ident in AGENT_THREADS:
                continue
            out.append({"id": self.id_of(ident), "name": named.get(ident) or "Thread-%d" % ident})
        out.sort(key=lambda t: t["id"])
        return out
