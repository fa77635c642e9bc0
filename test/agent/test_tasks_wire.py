"""tasks/wire.py: the body of a `records` event, as the adapter's fold reads it."""

import base64
import json
import marshal
import unittest

from asyncio_debugger.tasks import codes, kinds, sites, wire
from asyncio_debugger.tasks.recorder import Batch


def sample():
    return 1


class Name(str):
    pass


class TestEncoder(unittest.TestCase):
    def setUp(self):
        self.registry = codes.Registry()
        self.code = sample.__code__
        self.registry.objects[id(self.code)] = self.code
        self.registry.objects[id(ValueError)] = ValueError

    def test_records_batches_and_each_key_described_once(self):
        encoder = wire.Encoder(self.registry, 1000)
        first = Batch([(codes.FUTURE, 1100, 7, id(self.code), id(self.code), 4)], [], 1200)
        second = Batch([(codes.DONE, 1300, 8, 1, id(ValueError), "t", "boom")], [], 1400)
        body = encoder.encode([first, second], 1500)
        self.assertEqual(body["t0"], 1000)
        self.assertEqual(body["now"], 500)
        records = marshal.loads(base64.b64decode(body["data"]))
        self.assertEqual(records, first.records + second.records)
        self.assertEqual(body["batches"], [[1, 0], [1, 0]])
        [code] = body["codes"]
        self.assertEqual(code["key"], id(self.code))
        self.assertEqual(code["name"], getattr(self.code, "co_qualname", "sample"))
        self.assertEqual(code["firstLine"], self.code.co_firstlineno)
        self.assertEqual(code["futureKind"], kinds.future_kind(self.code))
        self.assertFalse(code["agent"])
        line = next(n for _s, _e, n in self.code.co_lines() if n is not None)
        self.assertIn(line, code["lines"][2::3])
        value_error = {"key": id(ValueError), "name": "ValueError", "task": False, "gather": False}
        self.assertEqual(body["types"], [value_error])
        # Described once: the next body only describes keys registered since.
        again = encoder.encode([first], 1600)
        self.assertEqual((again["codes"], again["types"]), ([], []))

    def test_cancel_stacks_name_their_codes_by_key(self):
        encoder = wire.Encoder(self.registry, 0)
        stack_code = wire.describe_code.__code__  # agent code, not registered yet
        obj = (codes.CANCEL_STACK, 5, 9, ((stack_code, 2), (self.code, 4)))
        body = encoder.encode([Batch([], [obj, (999, 5, 9, None)], 6)], 6)
        stack = [[id(stack_code), 2], [id(self.code), 4]]
        self.assertEqual(body["objects"], [[codes.CANCEL_STACK, 5, 9, stack]])
        self.assertEqual(body["batches"], [[0, 1]])
        self.assertIs(self.registry.objects[id(stack_code)], stack_code)
        described = {c["key"]: c for c in body["codes"]}
        self.assertTrue(described[id(stack_code)]["agent"])
        self.assertEqual(sites.is_agent(stack_code), True)

    def test_fields_marshal_refuses_become_plain_values(self):
        encoder = wire.Encoder(self.registry, 0)
        record = (codes.LIVE, 1, 2, Name("subclassed"))
        body = encoder.encode([Batch([record], [], 3)], 3)
        [decoded] = marshal.loads(base64.b64decode(body["data"]))
        self.assertEqual(decoded, (codes.LIVE, 1, 2, "subclassed"))
        self.assertIs(type(decoded[3]), str)

    def test_event_line_is_the_json_of_the_event(self):
        encoder = wire.Encoder(self.registry, 0)
        record = (codes.CREATE, 1, 2, 0, 3, 4, id(self.code), 0, "naïve \"q\"", 0, 0, None, 0)
        body = encoder.encode([Batch([record], [], 3)], 3)
        body["dropped"] = {"records": 0, "objects": 0}
        line = wire.event_line(body)
        self.assertTrue(line.endswith(b"\n"))
        self.assertEqual(line.count(b"\n"), 1)
        event = {"type": "event", "event": "records", "body": body}
        self.assertEqual(json.loads(line), event)


if __name__ == "__main__":
    unittest.main()
