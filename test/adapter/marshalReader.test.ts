/** decodeMarshal and forEachRecord against the bytes every interpreter's own marshal.dumps writes. */
import * as assert from 'assert';
import { decodeMarshal } from '../../src/adapter/marshalReader';
import { forEachRecord, RecordFields } from '../../src/adapter/recordReader';
import { runPython } from './support/agentPython';
import { INTERPRETERS } from './support/pythons';

// Each case: [the value as JSON (tuples as lists), base64 of marshal.dumps(value)].
const CASES = `
import base64, json, marshal, sys, time

def plain(v):
    return [plain(x) for x in v] if isinstance(v, (list, tuple)) else v

name = sys.intern("main.<locals>.worker")
shared = (1, 2)
big = 2 ** 52 + 12345
values = [
    None, True, False, 0, 1, -1, 2 ** 31 - 1, -2 ** 31, 2 ** 31, -2 ** 31 - 1, 2 ** 45 + 123,
    -(2 ** 52), 2 ** 53 - 1, big, 32767, 32768, 2 ** 30, 2 ** 60 // 2 ** 10,
    "", "a", "ascii text", "x" * 300, "ünïcode", "\\U0001f600 emoji " * 40, "Task-1",
    (), (1,), tuple(range(300)), [1, [2, (3, None)]], [],
    [(name, name), (name,), [name] * 3], [shared, shared, [shared]],
    [(2, time.perf_counter_ns(), id(values) if False else 140_000_000_000_000, time.perf_counter_ns(),
      0, 0, 0, -1, 0, 0, -1), (1, 1, 2, 3, 4, 5, 6, 7, name, 0, 0, None, 0)],
]
json.dump([[plain(v), base64.b64encode(marshal.dumps(v)).decode()] for v in values], sys.stdout)
`;

const BAD = `
import base64, marshal, sys
good = marshal.dumps([(1, 2, "three")])
print(base64.b64encode(marshal.dumps([1, 1.5])).decode())
print(base64.b64encode(marshal.dumps((b"bytes",))).decode())
print(base64.b64encode(good[:-3]).decode())
print(base64.b64encode(good + b"N").decode())
`;

// Lists of records: flat ones, one holding the same tuple twice (a back-reference to a tuple),
// one with a value records never hold.
const RECORDS = `
import base64, json, marshal, sys, time

name = sys.intern("main.<locals>.worker")
t = time.perf_counter_ns()
step = (2, t, 140_000_000_000_016, t + 900, None, 0, 140_000_000_000_032, 77, 0, 0, -1)
flat = [step, (1, t, 16, 0, 7, 9, 0, 0, name, 0, 0, None, 0), (3, t, 16, 2, 0, "Task-1", "ünï"),
        (1, t, 32, 16, 7, 9, 0, 0, name, 0, True, "x" * 300, 0)]
again = [step, (6, t, 1, 1, name), step]
for records in (flat, again):
    print(json.dumps([list(r) for r in records]) + "\t" + base64.b64encode(marshal.dumps(records)).decode())
print("[]\t" + base64.b64encode(marshal.dumps([step, (1, 2.5)])).decode())
`;

function fieldsOf(r: RecordFields): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < r.length; i++) {
    out.push(r.none[i] ? null : (r.str[i] ?? r.num[i]));
  }
  return out;
}

for (const python of INTERPRETERS) {
  describe(`marshal reader (python ${python.version})`, () => {
    it('reads what marshal.dumps writes for records: ints, longs, strings, refs, tuples, lists', () => {
      const cases = JSON.parse(runPython(python.executable, ['-c', CASES])) as [unknown, string][];
      assert.ok(cases.length > 30);
      for (const [expected, b64] of cases) {
        const data = Buffer.from(b64, 'base64');
        assert.deepStrictEqual(decodeMarshal(data), expected, `type code ${String.fromCharCode(data[0] & 0x7f)}`);
      }
    });

    it('names what it cannot read: other types, truncated data, trailing bytes', () => {
      const [float, bytes, truncated, trailing] = runPython(python.executable, ['-c', BAD])
        .trim()
        .split('\n')
        .map((b64) => Buffer.from(b64, 'base64'));
      assert.throws(
        () => decodeMarshal(float),
        /marshal type code 'g' \(0x67\) at offset \d+ is not one task records use/,
      );
      assert.throws(() => decodeMarshal(bytes), /marshal type code 's' \(0x73\)/);
      assert.throws(() => decodeMarshal(truncated), /marshal data truncated at offset \d+/);
      assert.throws(() => decodeMarshal(trailing), /marshal data has 1 bytes after its value/);
    });

    it('visits records one at a time, also through back-references to a whole record', () => {
      const lines = runPython(python.executable, ['-c', RECORDS]).trim().split('\n');
      for (const line of lines.slice(0, 2)) {
        const [json, b64] = line.split('\t');
        const seen: unknown[][] = [];
        const n = forEachRecord(Buffer.from(b64, 'base64'), (r) => seen.push(fieldsOf(r)));
        // Booleans come back as 1/0, as the fold reads them.
        const expected = (JSON.parse(json) as unknown[][]).map((r) => r.map((v) => (v === true ? 1 : v)));
        assert.deepStrictEqual(seen, expected);
        assert.strictEqual(n, expected.length);
      }
      const bad = Buffer.from(lines[2].split('\t')[1], 'base64');
      assert.throws(() => forEachRecord(bad, () => undefined), /marshal type code 'g' \(0x67\)/);
    });
  });
}
