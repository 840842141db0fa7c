// RFC 9112 §7.1: the chunked transfer coding, decoded incrementally. One decoder serves the
// reverse proxy (relaying a refusal), the tap (recording a response body) and the tests.

/** The longest chunk-size line (size, extensions) or trailer line accepted. */
const MAX_LINE = 4096;

const SIZE = 0;
const DATA = 1;
const DATA_END = 2;
const TRAILER = 3;
const DONE = 4;

/**
 * Feed the bytes after a response head; `push` returns the content they carried. `complete`
 * turns true after the last chunk and its trailer section; `error` says why decoding stopped
 * early on a malformed size line (what arrived before it is kept).
 */
export class ChunkedDecoder {
  complete = false;
  error: string | undefined;
  private state = SIZE;
  private line = '';
  private remaining = 0;

  push(bytes: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let at = 0;
    while (at < bytes.length && this.state !== DONE) {
      if (this.state === DATA) {
        const take = Math.min(this.remaining, bytes.length - at);
        out.push(bytes.subarray(at, at + take));
        at += take;
        this.remaining -= take;
        if (this.remaining === 0) this.state = DATA_END;
        continue;
      }
      const lf = bytes.indexOf(0x0a, at);
      const end = lf === -1 ? bytes.length : lf;
      this.line += bytes.toString('latin1', at, end);
      at = lf === -1 ? bytes.length : lf + 1;
      if (this.line.length > MAX_LINE) return this.stop(out, `a chunk line is over ${MAX_LINE} bytes`);
      if (lf === -1) break;
      const line = this.line.replace(/\r$/, '');
      this.line = '';
      if (this.state === DATA_END) {
        if (line !== '') return this.stop(out, 'chunk data is not followed by CRLF');
        this.state = SIZE;
      } else if (this.state === SIZE) {
        const size = line.split(';')[0]!.trim();
        if (!/^[0-9a-fA-F]{1,15}$/.test(size)) return this.stop(out, `not a chunk size: ${JSON.stringify(line.slice(0, 40))}`);
        this.remaining = parseInt(size, 16);
        this.state = this.remaining === 0 ? TRAILER : DATA;
      } else if (line === '') {
        this.state = DONE;
        this.complete = true;
      }
    }
    return out;
  }

  private stop(out: Buffer[], why: string): Buffer[] {
    this.state = DONE;
    this.error = why;
    return out;
  }
}

/** Decodes a whole chunked body at once: its content, and whether the last chunk arrived. */
export function dechunk(bytes: Buffer): { content: Buffer; complete: boolean } {
  const decoder = new ChunkedDecoder();
  const content = Buffer.concat(decoder.push(bytes));
  return { content, complete: decoder.complete };
}
