"""Run a function on a module right after it is first imported (uvloop, which the program may
import long after the agent started): a meta-path finder that lets the other finders locate the
module, then wraps its loader."""

import importlib.abc
import sys


class AfterImport(importlib.abc.MetaPathFinder):
    """`AfterImport("uvloop", patch).install()`: `patch(module)` runs once the module executed,
    unless `remove()` came first. Several of them may watch the same module: a flag stops them
    from asking each other forever."""

    def __init__(self, name, callback):
        self.name = name
        self.callback = callback
        self.active = False
        self.finding = False

    def install(self):
        self.active = True
        sys.meta_path.insert(0, self)
        return self

    def remove(self):
        self.active = False
        try:
            sys.meta_path.remove(self)
        except ValueError:
            pass

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.name or self.finding:
            return None
        self.finding = True
        try:
            for finder in list(sys.meta_path):
                if finder is self or not hasattr(finder, "find_spec"):
                    continue
                spec = finder.find_spec(fullname, path, target)
                if spec is not None and spec.loader is not None:
                    spec.loader = _Loader(spec.loader, self)
                    return spec
            return None
        finally:
            self.finding = False


class _Loader(importlib.abc.Loader):
    def __init__(self, inner, watcher):
        self._inner = inner
        self._watcher = watcher

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def create_module(self, spec):
        return self._inner.create_module(spec)

    def exec_module(self, module):
        self._inner.exec_module(module)
        if self._watcher.active:
            self._watcher.callback(module)
