/**
 * Reads what CPython's `marshal.dumps` writes (format version 4, as on 3.10-3.13) for the values
 * task records hold: lists, tuples, ints, None, booleans and strings, with the back-references
 * marshal uses for repeated (interned) objects. Ints come back as JS numbers: record fields are
 * ids and nanosecond timestamps, below 2^53.
 */

const FLAG_REF = 0x80;
const DIGIT_BASE = 1 << 15;

class Reader {
  pos = 0;
  private readonly refs: unknown[] = [];
  private readonly end: number;

  constructor(private readonly buf: Buffer) {
    this.end = buf.length;
  }

  private truncated(n: number): never {
    throw new Error(`marshal data truncated at offset ${this.pos} (${n} more bytes expected)`);
  }

  private u8(): number {
    if (this.pos >= this.end) {
      this.truncated(1);
    }
    return this.buf[this.pos++];
  }

  private i32(): number {
    const p = this.pos;
    if (p + 4 > this.end) {
      this.truncated(4);
    }
    const b = this.buf;
    this.pos = p + 4;
    return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
  }

  private u32(): number {
    return this.i32() >>> 0;
  }

  private text(n: number, encoding: 'utf8' | 'latin1'): string {
    if (this.pos + n > this.end) {
      this.truncated(n);
    }
    const s = this.buf.toString(encoding, this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  /** Base 2^15 digits, least significant first; the sign is the sign of the digit count. */
  private long(): number {
    const size = this.i32();
    const n = size < 0 ? -size : size;
    const p = this.pos;
    if (p + 2 * n > this.end) {
      this.truncated(2 * n);
    }
    const b = this.buf;
    let v = 0;
    for (let i = p + 2 * n - 2; i >= p; i -= 2) {
      v = v * DIGIT_BASE + (b[i] | (b[i + 1] << 8));
    }
    this.pos = p + 2 * n;
    return size < 0 ? -v : v;
  }

  private sequence(n: number, ref: number): unknown[] {
    // Pushed, not preallocated: packed arrays are faster to read back.
    const out: unknown[] = [];
    if (ref >= 0) {
      this.refs[ref] = out;
    }
    for (let i = 0; i < n; i++) {
      out.push(this.read());
    }
    return out;
  }

  read(): unknown {
    const at = this.pos;
    const byte = this.u8();
    const code = byte & ~FLAG_REF;
    // A flagged object takes the next reference slot before its items are read (as CPython's r_ref_reserve).
    const ref = byte & FLAG_REF ? this.refs.push(undefined) - 1 : -1;
    let value: unknown;
    switch (code) {
      case 0x6c: // l
        value = this.long();
        break;
      case 0x69: // i
        value = this.i32();
        break;
      case 0x28: // (
      case 0x5b: // [
        return this.sequence(this.u32(), ref);
      case 0x29: // ) small tuple
        return this.sequence(this.u8(), ref);
      case 0x72: {
        // r
        const index = this.u32();
        if (index >= this.refs.length || this.refs[index] === undefined) {
          throw new Error(`marshal data has a bad back-reference ${index} at offset ${at}`);
        }
        return this.refs[index];
      }
      case 0x4e: // N
        value = null;
        break;
      case 0x54: // T
        value = true;
        break;
      case 0x46: // F
        value = false;
        break;
      case 0x75: // u
      case 0x74: // t (interned)
        value = this.text(this.u32(), 'utf8');
        break;
      case 0x61: // a
      case 0x41: // A (interned)
        value = this.text(this.u32(), 'latin1');
        break;
      case 0x7a: // z
      case 0x5a: // Z (interned)
        value = this.text(this.u8(), 'latin1');
        break;
      default:
        throw new Error(
          `marshal type code '${String.fromCharCode(code)}' (0x${code.toString(16)}) at offset ${at} ` +
            'is not one task records use (lists, tuples, ints, None, booleans, strings)',
        );
    }
    if (ref >= 0) {
      this.refs[ref] = value;
    }
    return value;
  }
}

/** The value `marshal.loads` would return for `buf` (tuples as arrays); throws on other types or truncation. */
export function decodeMarshal(buf: Buffer): unknown {
  const reader = new Reader(buf);
  const value = reader.read();
  if (reader.pos !== buf.length) {
    throw new Error(`marshal data has ${buf.length - reader.pos} bytes after its value`);
  }
  return value;
}
