/**
 * Newline-delimited JSON framing for the agent protocol (docs/protocol.md, "Framing").
 * Chunks from a socket may hold part of a line, several lines, or a line of many megabytes.
 */

const NEWLINE = 0x0a;

/** Splits a byte stream into lines without re-scanning or re-copying data already seen. */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer): void {
    let start = 0;
    let index = chunk.indexOf(NEWLINE, start);
    while (index !== -1) {
      const piece = chunk.subarray(start, index);
      let line: Buffer;
      if (this.pendingBytes > 0) {
        // Concatenate only once the line is complete, so a huge message costs one copy.
        line = Buffer.concat([...this.pending, piece], this.pendingBytes + piece.length);
        this.pending = [];
        this.pendingBytes = 0;
      } else {
        line = piece;
      }
      const text = line.toString('utf8').replace(/\r$/, '');
      if (text.trim().length > 0) {
        this.onLine(text);
      }
      start = index + 1;
      index = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      this.pending.push(rest);
      this.pendingBytes += rest.length;
    }
  }
}

export function encodeMessage(message: unknown): string {
  // JSON.stringify escapes newlines inside strings, so one message is always one line.
  return JSON.stringify(message) + '\n';
}
