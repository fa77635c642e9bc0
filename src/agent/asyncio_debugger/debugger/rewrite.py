"""Breakpoints without tracing (3.10/3.11): a file's code recompiled with a hook call at breakpoint lines.

The hook is a call to a name reached through builtins, inserted before the statement that starts
at each breakpoint line, with that line's position so tracebacks and `f_lineno` stay right. Lines
where one call before a statement would not stop where line tracing stops (loop and `with`
headers, `except` clauses, decorated definitions, continuation lines of a multi-line statement)
are left unhooked and reported: the backend falls back to tracing for them.

The recompiled code objects are paired with freshly compiled original ones. Code objects compare
equal when compiled from the same text (the file name is not part of the comparison), so a live
function whose code equals an original is known to come from the unchanged source.
"""

import ast
import dis

HOOK_NAME = "__asyncio_debugger_bp__"
_NOT_HOOKABLE = (ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# Lines in these run as part of the statement of the enclosing code; one stop per statement.
_INLINE_CODE = frozenset(("<listcomp>", "<setcomp>", "<dictcomp>", "<genexpr>", "<lambda>"))
_STMT_LISTS = ("body", "orelse", "finalbody")


def _hook_stmt(stmt):
    pos = {"lineno": stmt.lineno, "end_lineno": stmt.lineno, "col_offset": stmt.col_offset}
    pos["end_col_offset"] = stmt.col_offset
    name = ast.Name(HOOK_NAME, ast.Load(), **pos)
    return ast.Expr(ast.Call(name, [], [], **pos), **pos)


def _is_docstring(stmt, index):
    return (
        index == 0
        and isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    )


def _hookable(stmt, index):
    if isinstance(stmt, _NOT_HOOKABLE) or _is_docstring(stmt, index):
        return False
    if isinstance(stmt, _SCOPES) and stmt.decorator_list:
        return False
    if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__":
        return False
    return True


class _Inserter:
    def __init__(self, lines):
        self.lines = lines

    def scope(self, stmts):
        self.block(stmts, set())

    def block(self, stmts, placed):
        out = []
        for i, stmt in enumerate(stmts):
            line = stmt.lineno
            if line in self.lines and line not in placed and _hookable(stmt, i):
                placed.add(line)
                out.append(_hook_stmt(stmt))
            out.append(stmt)
            self.children(stmt, placed)
        stmts[:] = out

    def children(self, stmt, placed):
        if isinstance(stmt, _SCOPES):
            self.scope(stmt.body)
            return
        for field in _STMT_LISTS:
            body = getattr(stmt, field, None)
            if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
                self.block(body, placed)
        for handler in getattr(stmt, "handlers", ()) or ():
            self.block(handler.body, placed)
        for case in getattr(stmt, "cases", ()) or ():
            self.block(case.body, placed)


def _key(code):
    return (code.co_name, code.co_firstlineno, getattr(code, "co_qualname", None))


def _children(code):
    return [c for c in code.co_consts if hasattr(c, "co_code")]


def line_of_offsets(code):
    """offset -> line for every instruction of `code` (not its nested code objects)."""
    starts = sorted((o, ln) for o, ln in dis.findlinestarts(code))
    out = {}
    current = None
    it = iter(starts)
    nxt = next(it, None)
    for instr in dis.get_instructions(code):
        while nxt is not None and nxt[0] <= instr.offset:
            current = nxt[1]
            nxt = next(it, None)
        out[instr.offset] = current
    return out


def hooked_lines(code):
    lines = set()
    offsets = None
    for instr in dis.get_instructions(code):
        if instr.argval == HOOK_NAME and instr.opname in ("LOAD_GLOBAL", "LOAD_NAME"):
            if offsets is None:
                offsets = line_of_offsets(code)
            if offsets.get(instr.offset):
                lines.add(offsets[instr.offset])
    return frozenset(lines)


def event_lines(code):
    """Lines on which line tracing would report an event in `code`, or an empty set for code that
    runs inline in its parent's statement. A function's or class's first line holds only its
    prologue there (the parent's statement at that line is the one that counts)."""
    if code.co_name in _INLINE_CODE:
        return frozenset()
    lines = {ln for _, ln in dis.findlinestarts(code) if ln is not None and ln > 0}
    if code.co_name != "<module>":
        lines.discard(code.co_firstlineno)
    return frozenset(lines)


class FileRewrite:
    """One file's original and instrumented code trees for one set of breakpoint lines."""

    def __init__(self, path, lines, source):
        self.path = path
        self.lines = frozenset(lines)
        tree = ast.parse(source, path)
        _Inserter(self.lines).scope(tree.body)
        self.orig_top = compile(source, path, "exec", dont_inherit=True)
        self.inst_top = compile(tree, path, "exec", dont_inherit=True)
        self.by_orig = {}  # original code (compared by value) -> instrumented code
        self.hooks = {}  # instrumented code -> lines it calls the hook on
        self.unhooked = set()  # breakpoint lines some code reaches without a hook
        self._pair(self.orig_top, self.inst_top)

    def _pair(self, orig, inst):
        self.by_orig[orig] = inst
        hooks = hooked_lines(inst)
        self.hooks[inst] = hooks
        self.unhooked.update((event_lines(orig) & self.lines) - hooks)
        inst_children = {_key(c): c for c in _children(inst)}
        for child in _children(orig):
            match = inst_children.get(_key(child))
            if match is None:
                # Nothing to swap to: code of this shape then runs traced.
                self.unhooked.update(event_lines(child) & self.lines)
                continue
            self._pair(child, match)

    @property
    def complete(self):
        return not self.unhooked


def rewrite_file(path, lines):
    """A FileRewrite for the file as it is on disk now, or None if it cannot be read or compiled."""
    try:
        with open(path, "rb") as f:
            source = f.read()
        return FileRewrite(path, lines, source)
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None
