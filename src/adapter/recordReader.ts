/**
 * The fast path for a `records` event's data: marshal's list of record tuples read one record at a
 * time into one reused set of fields, so that folding a million records allocates next to nothing
 * (decodeMarshal builds an array per record and boxes every timestamp). Anything else than a list
 * of flat tuples (a tuple marshalled twice comes back as a reference) goes through decodeMarshal.
 */
import { decodeMarshal } from './marshalReader';

const FLAG_REF = 0x80;
const DIGIT_BASE = 1 << 15;
/** Records have at most 13 fields (tasks/codes.py); a little room for future ones. */
export const MAX_FIELDS = 32;

/** One record: field i is `num[i]` (ints, booleans), `str[i]` (strings) or None (`none[i]`). */
export class RecordFields {
  length = 0;
  readonly num = new Float64Array(MAX_FIELDS);
  readonly str: (string | null)[] = new Array<string | null>(MAX_FIELDS).fill(null);
  readonly none = new Uint8Array(MAX_FIELDS);

  set(i: number, value: unknown): void {
    this.none[i] = 0;
    this.str[i] = null;
    this.num[i] = 0;
    if (typeof value === 'number') {
      this.num[i] = value;
    } else if (typeof value === 'boolean') {
      this.num[i] = value ? 1 : 0;
    } else if (typeof value === 'string') {
      this.str[i] = value;
    } else {
      this.none[i] = 1;
    }
  }
}

/** Record `visited` (and the ones after it) needs the general reader. */
class NotFlat extends Error {
  constructor(readonly visited: number) {
    super('not a flat record');
  }
}
const TUPLE = { tuple: true };

/** Calls `visit` with every record of `buf` (marshal.dumps of a list of tuples), in order. */
export function forEachRecord(buf: Buffer, visit: (r: RecordFields) => void): number {
  const fields = new RecordFields();
  let from: number;
  try {
    return new FlatReader(buf, fields).read(visit);
  } catch (e) {
    if (!(e instanceof NotFlat)) {
      throw e;
    }
    from = e.visited;
  }
  // The general reader (which names what it cannot read), then the same fields.
  const records = decodeMarshal(buf);
  if (!Array.isArray(records)) {
    throw new Error(`records event: data holds a ${records === null ? 'None' : typeof records}, not a list`);
  }
  for (let k = from; k < records.length; k++) {
    const record: unknown = records[k];
    if (
      !Array.isArray(record) ||
      record.length > MAX_FIELDS ||
      record.some((v) => typeof v === 'object' && v !== null)
    ) {
      throw new Error(`records event: record ${k} is not a tuple of ints, strings and None`);
    }
    fields.length = record.length;
    record.forEach((value, i) => fields.set(i, value));
    visit(fields);
  }
  return records.length;
}

class FlatReader {
  private pos = 0;
  private readonly refs: unknown[] = [];

  constructor(
    private readonly buf: Buffer,
    private readonly fields: RecordFields,
  ) {}

  private truncated(): never {
    throw new Error(`marshal data truncated at offset ${this.pos}`);
  }

  private i32(): number {
    const p = this.pos;
    if (p + 4 > this.buf.length) {
      this.truncated();
    }
    const b = this.buf;
    this.pos = p + 4;
    return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
  }

  private u8(): number {
    if (this.pos >= this.buf.length) {
      this.truncated();
    }
    return this.buf[this.pos++];
  }

  read(visit: (r: RecordFields) => void): number {
    const head = this.u8();
    if ((head & ~FLAG_REF) !== 0x5b) {
      throw new NotFlat(0);
    }
    if (head & FLAG_REF) {
      this.refs.push(TUPLE);
    }
    const count = this.i32() >>> 0;
    const fields = this.fields;
    for (let k = 0; k < count; k++) {
      const tag = this.u8();
      const code = tag & ~FLAG_REF;
      let n: number;
      if (code === 0x29) {
        n = this.u8();
      } else if (code === 0x28) {
        n = this.i32() >>> 0;
      } else {
        throw new NotFlat(k);
      }
      if (tag & FLAG_REF) {
        this.refs.push(TUPLE);
      }
      if (n > MAX_FIELDS) {
        throw new NotFlat(k);
      }
      for (let i = 0; i < n; i++) {
        this.field(i, k);
      }
      fields.length = n;
      visit(fields);
    }
    if (this.pos !== this.buf.length) {
      throw new Error(`marshal data has ${this.buf.length - this.pos} bytes after its value`);
    }
    return count;
  }

  private field(i: number, k: number): void {
    const fields = this.fields;
    const tag = this.u8();
    const code = tag & ~FLAG_REF;
    const ref = tag & FLAG_REF ? this.refs.push(undefined) - 1 : -1;
    let num = 0;
    let str: string | null = null;
    let none = 0;
    switch (code) {
      case 0x6c: {
        // l: base 2^15 digits, least significant first; the sign is the sign of the count
        const size = this.i32();
        const digits = size < 0 ? -size : size;
        const p = this.pos;
        if (p + 2 * digits > this.buf.length) {
          this.truncated();
        }
        const b = this.buf;
        for (let j = p + 2 * digits - 2; j >= p; j -= 2) {
          num = num * DIGIT_BASE + (b[j] | (b[j + 1] << 8));
        }
        this.pos = p + 2 * digits;
        if (size < 0) {
          num = -num;
        }
        break;
      }
      case 0x69: // i
        num = this.i32();
        break;
      case 0x4e: // N
        none = 1;
        break;
      case 0x54: // T
        num = 1;
        break;
      case 0x46: // F
        break;
      case 0x72: {
        // r
        const value = this.refs[this.i32() >>> 0];
        if (typeof value === 'number') {
          num = value;
        } else if (typeof value === 'string') {
          str = value;
        } else if (value === null) {
          none = 1;
        } else {
          throw new NotFlat(k); // the same tuple again, or a bad reference
        }
        break;
      }
      case 0x75: // u
      case 0x74: // t
        str = this.text(this.i32() >>> 0, 'utf8');
        break;
      case 0x61: // a
      case 0x41: // A
        str = this.text(this.i32() >>> 0, 'latin1');
        break;
      case 0x7a: // z
      case 0x5a: // Z
        str = this.text(this.u8(), 'latin1');
        break;
      default:
        // Nested values (which records do not hold) or other types: the general reader says which.
        throw new NotFlat(k);
    }
    if (ref >= 0) {
      this.refs[ref] = none ? null : str !== null ? str : num;
    }
    fields.num[i] = num;
    fields.str[i] = str;
    fields.none[i] = none;
  }

  private text(n: number, encoding: 'utf8' | 'latin1'): string {
    if (this.pos + n > this.buf.length) {
      this.truncated();
    }
    const s = this.buf.toString(encoding, this.pos, this.pos + n);
    this.pos += n;
    return s;
  }
}
