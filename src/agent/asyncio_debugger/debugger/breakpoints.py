"""Line breakpoints: verification against the compiled line table, conditions, hit counts, logpoints."""

import _thread
import dis
import itertools
import re

from asyncio_debugger.debugger.frames import frame_name
from asyncio_debugger.debugger.paths import normalize
from asyncio_debugger.debugger.safe_repr import safe_repr

_ids = itertools.count(1)


def code_lines(path):
    """Every line that starts code in `path` (all nested code objects), or None if unreadable."""
    try:
        with open(path, "rb") as f:
            source = f.read()
        top = compile(source, path, "exec", dont_inherit=True)
    except (OSError, SyntaxError, ValueError):
        return None
    lines = set()
    stack = [top]
    while stack:
        code = stack.pop()
        for _, line in dis.findlinestarts(code):
            if line is not None and line > 0:
                lines.add(line)
        stack.extend(c for c in code.co_consts if hasattr(c, "co_code"))
    return lines


_HIT_RE = re.compile(r"^\s*(>=|<=|==|>|<|%)?\s*(\d+)\s*$")


def parse_hit_condition(text):
    """`5`/`==5`, `>5`, `>=5`, `<5`, `%5` -> predicate on the hit count, or None if invalid."""
    m = _HIT_RE.match(text or "")
    if not m:
        return None
    op, n = m.group(1) or "==", int(m.group(2))
    return {
        "==": lambda c: c == n,
        ">": lambda c: c > n,
        ">=": lambda c: c >= n,
        "<": lambda c: c < n,
        "<=": lambda c: c <= n,
        "%": lambda c: n > 0 and c % n == 0,
    }[op]


_LOG_PART = re.compile(r"\{([^{}]*)\}")


def split_log_message(message):
    """'x={x}' -> ['x=', ('x', code)]; `{{`/`}}` are literal braces."""
    parts = []
    pos = 0
    text = message.replace("{{", "\0").replace("}}", "\1")
    for m in _LOG_PART.finditer(text):
        if m.start() > pos:
            parts.append(text[pos : m.start()])
        expr = m.group(1).replace("\0", "{").replace("\1", "}")
        try:
            parts.append((expr, compile(expr.strip(), "<logpoint>", "eval")))
        except SyntaxError:
            parts.append("{" + expr + "}")
        pos = m.end()
    parts.append(text[pos:])
    return [p.replace("\0", "{").replace("\1", "}") if isinstance(p, str) else p for p in parts]


class Breakpoint:
    __slots__ = (
        "id",
        "path",
        "requested_line",
        "line",
        "verified",
        "message",
        "condition",
        "condition_code",
        "hit_condition",
        "hit_predicate",
        "log_parts",
        "hits",
    )

    def __init__(self, path, spec):
        self.id = next(_ids)
        self.path = path
        self.requested_line = self.line = int(spec.get("line", 0))
        self.verified = False
        self.message = None
        self.condition = spec.get("condition") or None
        self.condition_code = None
        self.hit_condition = spec.get("hitCondition") or None
        self.hit_predicate = None
        self.log_parts = None
        self.hits = 0
        if self.condition:
            try:
                self.condition_code = compile(self.condition.strip(), "<condition>", "eval")
            except SyntaxError as e:
                self.message = "Invalid condition: %s" % (e.msg,)
        if self.hit_condition:
            self.hit_predicate = parse_hit_condition(self.hit_condition)
            if self.hit_predicate is None:
                self.message = "Invalid hit count %r: use N, >N, >=N, <N, ==N or %%N" % (self.hit_condition,)
        if spec.get("logMessage"):
            self.log_parts = split_log_message(spec["logMessage"])

    def to_dap(self, source):
        body = {"id": self.id, "verified": self.verified, "line": self.line, "source": source}
        if self.message:
            body["message"] = self.message
        return body


class BreakpointTable:
    """Breakpoints by normalised file, and the per-line lookup the hooks use."""

    def __init__(self):
        # normalised path -> {line: Breakpoint}
        self.by_file = {}
        self.sources = {}
        self.version = 0

    def set_file(self, source, specs):
        path = normalize(source.get("path") or "")
        lines = code_lines(path)
        bps = []
        table = {}
        for spec in specs:
            bp = Breakpoint(path, spec)
            if lines is None:
                bp.verified = False
                bp.message = bp.message or "The file cannot be read or compiled; the breakpoint is not set."
            else:
                later = sorted(n for n in lines if n >= bp.requested_line)
                if not later:
                    bp.message = bp.message or "No code at or after line %d." % bp.requested_line
                else:
                    bp.line = later[0]
                    bp.verified = bp.message is None
            if bp.verified or (lines is not None and bp.line in lines):
                # An invalid condition keeps the breakpoint unverified but still present so the user
                # sees the message; it never stops.
                if bp.verified:
                    table.setdefault(bp.line, bp)
            bps.append(bp)
        if table:
            self.by_file[path] = table
        else:
            self.by_file.pop(path, None)
        self.sources[path] = dict(source)
        self.version += 1
        return [bp.to_dap(source) for bp in bps]

    def clear(self):
        self.by_file.clear()
        self.version += 1


class FunctionBreakpoints:
    """Stops when a function whose name matches starts: `name`, `Class.method` or `module.Class.method`."""

    def __init__(self):
        self.by_name = {}  # last dotted component -> [Breakpoint]

    def set(self, specs):
        self.by_name = {}
        out = []
        for spec in specs:
            name = (spec.get("name") or "").strip()
            bp = Breakpoint("", {"condition": spec.get("condition"), "hitCondition": spec.get("hitCondition")})
            bp.requested_line = bp.line = 0
            bp.path = name
            bp.verified = bool(name) and bp.message is None
            if bp.verified:
                self.by_name.setdefault(name.rsplit(".", 1)[-1], []).append(bp)
            elif not name:
                bp.message = "A function name is required."
            body = {"id": bp.id, "verified": bp.verified}
            if bp.message:
                body["message"] = bp.message
            out.append(body)
        return out

    def match(self, frame):
        code = frame.f_code
        candidates = self.by_name.get(code.co_name)
        if not candidates:
            return None
        qualname = frame_name(frame)
        module_name = frame.f_globals.get("__name__")
        for bp in candidates:
            name = bp.path
            if name in (qualname, code.co_name) or name == "%s.%s" % (module_name, qualname):
                return bp
        return None


# Hits (shared by every backend) ---------------------------------------------------------------


def hit(session, frame, bp, reason="breakpoint"):
    """A breakpoint was reached: condition, hit count, then a logpoint message or a stop."""
    if bp.condition_code is not None:
        try:
            if not eval(bp.condition_code, frame.f_globals, frame.f_locals):
                return
        except Exception as e:
            session.output(
                "Breakpoint condition %r at %s:%d failed (%s: %s); stopping as if it were true."
                % (bp.condition, bp.path, bp.line, type(e).__name__, e)
            )
    bp.hits += 1
    if bp.hit_predicate is not None and not bp.hit_predicate(bp.hits):
        return
    if bp.log_parts is not None:
        session.output(format_log(frame, bp.log_parts, session.max_repr))
        return
    session.stop(frame, reason, hit_ids=[bp.id])


def hit_line(session, frame, bp, line):
    """A line breakpoint's line runs. A breakpoint that does not stop (condition, hit count,
    logpoint) must not swallow a step that reached this line: the line then ends the step."""
    ident = _thread.get_ident()
    steps = session.stepper.steps
    step = steps.get(ident)
    session.on_breakpoint(frame, bp)
    if step is not None and steps.get(ident) is step:
        session.on_step_line(frame, line)


def format_log(frame, parts, max_repr):
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        text, code = part
        try:
            value = eval(code, frame.f_globals, frame.f_locals)
            out.append(value if isinstance(value, str) else safe_repr(value, max_repr))
        except Exception as e:
            out.append("<%s: %s>" % (type(e).__name__, e))
    return "".join(out)
