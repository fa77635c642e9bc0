"""Variables (paging, hostile reprs, slots), evaluate and setVariable."""

import unittest

from agent_harness import FakeAdapter, fixture, marker_line

VARS = fixture("agent_variables.py")


class VariablesTests(unittest.TestCase):
    def setUp(self):
        self.a = FakeAdapter([VARS]).__enter__()
        self.a.start({VARS: [marker_line(VARS, "vars")]})
        self.a.stopped("breakpoint")
        self.frame = self.a.top_frame(1)
        self.locals = self.a.locals_of(self.frame["id"])

    def tearDown(self):
        self.a.__exit__(None, None, None)

    def finish(self):
        a = self.a
        a.request("continue", {"threadId": 1})
        code, out, err = a.finish()
        self.assertEqual(code, 0, err)
        return out

    def test_large_list_is_paged(self):
        big = self.locals["big"]
        self.assertEqual(big["indexedVariables"], 1_000_000)
        self.assertLessEqual(len(big["value"]), 1010)
        ref = big["variablesReference"]
        page = self.a.request(
            "variables", {"variablesReference": ref, "filter": "indexed", "start": 999_990, "count": 5}
        )["variables"]
        self.assertEqual([v["name"] for v in page], ["999990", "999991", "999992", "999993", "999994"])
        self.assertEqual(page[0]["value"], "999990")
        self.assertEqual(page[0]["evaluateName"], "big[999990]")
        named = self.a.request("variables", {"variablesReference": ref, "filter": "named"})["variables"]
        self.assertEqual([(v["name"], v["value"]) for v in named], [("len()", "1000000")])
        # No paging asked: still bounded.
        everything = self.a.request("variables", {"variablesReference": ref})["variables"]
        self.assertLessEqual(len(everything), 1001)
        self.finish()

    def test_dict_children_and_paging(self):
        table = self.locals["table"]
        self.assertEqual(table["indexedVariables"], 500)
        page = self.a.request(
            "variables",
            {"variablesReference": table["variablesReference"], "filter": "indexed", "start": 10, "count": 2},
        )["variables"]
        self.assertEqual([(v["name"], v["value"]) for v in page], [("'k10'", "10"), ("'k11'", "11")])
        self.assertEqual(page[0]["evaluateName"], "table['k10']")
        self.finish()

    def test_hostile_reprs(self):
        self.assertEqual(self.locals["raising"]["value"], "<repr() failed: ValueError: no repr for you>")
        self.assertIn("did not return", self.locals["endless"]["value"])
        huge = self.locals["huge"]["value"]
        self.assertLessEqual(len(huge), 1010)
        self.assertTrue(huge.startswith("xxxx"))
        # The interrupted repr left the thread healthy: evaluation still works and the program ends.
        r = self.a.request("evaluate", {"expression": "counter + 1", "frameId": self.frame["id"], "context": "watch"})
        self.assertEqual(r["result"], "6")
        r = self.a.request("evaluate", {"expression": "huge", "frameId": self.frame["id"], "context": "clipboard"})
        self.assertGreater(len(r["result"]), 50_000)
        self.finish()

    def test_slots_and_attributes(self):
        slots = self.a.request("variables", {"variablesReference": self.locals["slots"]["variablesReference"]})
        names = {v["name"]: v["value"] for v in slots["variables"]}
        self.assertEqual(names, {"a": "1", "b": "[1, 2]"})
        plain = self.a.request("variables", {"variablesReference": self.locals["plain"]["variablesReference"]})
        names = {v["name"]: v for v in plain["variables"]}
        self.assertEqual(names["name"]["value"], "'plain'")
        self.assertEqual(names["count"]["evaluateName"], "plain.count")
        self.finish()

    def test_evaluate_and_repl_statements(self):
        a, fid = self.a, self.frame["id"]
        r = a.request("evaluate", {"expression": "numbers", "frameId": fid, "context": "watch"})
        self.assertEqual(r["result"], "[10, 20, 30]")
        self.assertGreater(r["variablesReference"], 0)
        kids = a.request("variables", {"variablesReference": r["variablesReference"], "filter": "indexed"})
        self.assertEqual(kids["variables"][1]["evaluateName"], "numbers[1]")
        err = a.request("evaluate", {"expression": "nope + 1", "frameId": fid, "context": "watch"}, ok=False)
        self.assertIn("NameError", err["message"])
        # Hover and watch accept expressions only.
        a.request("evaluate", {"expression": "counter = 1", "frameId": fid, "context": "hover"}, ok=False)
        # The REPL accepts statements, and writes to locals stick.
        a.request("evaluate", {"expression": "counter = 100", "frameId": fid, "context": "repl"})
        a.request("evaluate", {"expression": "text += ' world'", "frameId": fid, "context": "repl"})
        r = a.request("evaluate", {"expression": "counter", "frameId": fid, "context": "repl"})
        self.assertEqual(r["result"], "100")
        # Without a frame: the main module's globals.
        r = a.request("evaluate", {"expression": "Plain.__name__", "context": "repl"})
        self.assertEqual(r["result"], "'Plain'")
        out = self.finish()
        self.assertEqual(out, "100 10 1 3 hello world\n")

    def test_set_variable_local_item_attribute(self):
        a = self.a
        scopes = a.request("scopes", {"frameId": self.frame["id"]})["scopes"]
        local_ref = scopes[0]["variablesReference"]
        r = a.request("setVariable", {"variablesReference": local_ref, "name": "counter", "value": "2 * 21"})
        self.assertEqual(r["value"], "42")
        numbers = self.locals["numbers"]["variablesReference"]
        a.request("variables", {"variablesReference": numbers})
        a.request("setVariable", {"variablesReference": numbers, "name": "0", "value": "-1"})
        table = self.locals["table"]["variablesReference"]
        a.request("variables", {"variablesReference": table, "filter": "indexed", "start": 0, "count": 3})
        a.request("setVariable", {"variablesReference": table, "name": "'k1'", "value": "'one'"})
        plain = self.locals["plain"]["variablesReference"]
        a.request("variables", {"variablesReference": plain})
        a.request("setVariable", {"variablesReference": plain, "name": "count", "value": "counter + 1"})
        a.request("setVariable", {"variablesReference": local_ref, "name": "nope", "value": "1 +"}, ok=False)
        out = self.finish()
        self.assertEqual(out, "42 -1 one 43 hello\n")


if __name__ == "__main__":
    unittest.main()
