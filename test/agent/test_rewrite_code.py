"""The rewriter on its own: where hooks go, what falls back to tracing, and that rewritten code
behaves exactly like the original apart from the hook calls."""

import builtins
import sys
import traceback
import unittest

from agent_harness import AGENT_PATH, fixture, marker_line

sys.path.insert(0, AGENT_PATH)

from asyncio_debugger.debugger import rewrite  # noqa: E402

SHAPES = fixture("agent_rewrite_shapes.py")


def line(marker):
    return marker_line(SHAPES, marker)


class RewriteCodeTests(unittest.TestCase):
    def setUp(self):
        self.calls = []
        setattr(builtins, rewrite.HOOK_NAME, lambda: self.calls.append(sys._getframe(1).f_lineno))

    def tearDown(self):
        delattr(builtins, rewrite.HOOK_NAME)

    def load(self, markers):
        rw = rewrite.rewrite_file(SHAPES, {line(m) for m in markers})
        self.assertIsNotNone(rw)
        namespace = {"__name__": "shapes"}
        exec(rw.inst_top, namespace)
        return rw, namespace

    def test_hooks_run_at_their_lines_with_the_right_frame_line(self):
        rw, ns = self.load(["assign", "inner", "loop_body", "if", "elif", "comprehension"])
        self.assertEqual(rw.unhooked, set())
        self.assertEqual(ns["outer"](1), 4)
        self.assertEqual(self.calls, [line("assign"), line("loop_body"), line("loop_body"), line("inner")])
        self.calls.clear()
        shape = ns["Shape"]()
        self.assertEqual((shape.method(1), shape.method(None), shape.method(0)), (1, 2, [0, 1, 2]))
        # `elif` is hooked inside the `else` branch: it runs only when its test runs.
        self.assertEqual(
            self.calls, [line("if"), line("if"), line("elif"), line("if"), line("elif"), line("comprehension")]
        )
        self.assertEqual(ns["outer"].__doc__, "Docstring stays the docstring.")

    def test_lines_one_call_cannot_stand_for_fall_back(self):
        rw, ns = self.load(["for", "decorator", "assign"])
        self.assertEqual(rw.unhooked, {line("for"), line("decorator")})
        ns["outer"](1)
        self.assertEqual(self.calls, [line("assign")])

    def test_originals_pair_with_rewritten_code_by_value(self):
        rw, _ = self.load(["inner", "if"])
        plain = {}
        with open(SHAPES) as f:
            exec(compile(f.read(), SHAPES, "exec", dont_inherit=True), plain)
        inner_orig = [c for c in plain["outer"].__code__.co_consts if hasattr(c, "co_code")][0]
        inst = rw.by_orig[inner_orig]
        self.assertEqual(rw.hooks[inst], {line("inner")})
        self.assertEqual(inst.co_freevars, inner_orig.co_freevars)
        method = rw.by_orig[plain["Shape"].method.__code__]
        self.assertEqual(rw.hooks[method], {line("if")})

    def test_tracebacks_keep_their_lines(self):
        _, ns = self.load(["raise"])
        try:
            ns["fails"]()
        except ValueError as e:
            last = traceback.extract_tb(e.__traceback__)[-1]
        else:
            self.fail("no ValueError")
        self.assertEqual((last.lineno, last.line), (line("raise"), "raise ValueError(value)  # @raise"))
        self.assertEqual(self.calls, [line("raise")])

    def test_unreadable_file(self):
        self.assertIsNone(rewrite.rewrite_file(fixture("no_such_file.py"), {1}))
        self.assertIsNone(rewrite.rewrite_file(fixture("agent_syntax_error.py"), {1}))


if __name__ == "__main__":
    unittest.main()
