import type { HeaderList } from './header-list.ts';
import { wireError } from './errors.ts';

export { headerValue, headerValues } from '../shared/headers.ts';

export interface RequestHead {
  method: string;
  target: string;
  httpVersion: string;
  headers: HeaderList;
}

export interface ResponseHead {
  httpVersion: string;
  status: number;
  reason: string;
  headers: HeaderList;
}

/** Node's own default (`--max-http-header-size`): a larger head is answered 431. */
export const MAX_HEAD_BYTES = 16 * 1024;

export type HeadResult = { head: Buffer; rest: Buffer } | undefined;

export interface HeadReaderOptions {
  /** Bytes the head may take, blank line included; beyond it push() throws HEAD_TOO_LARGE (431). */
  limit?: number;
  /**
   * Check, as bytes arrive, that they can begin an HTTP/1.x request (a method token, then a
   * request line): push() throws NOT_HTTP (400) at the first byte that cannot, instead of
   * buffering up to the limit. Off for responses.
   */
  request?: boolean;
}

const LF = 0x0a;
const CR = 0x0d;
const TOKEN_BYTE = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") TOKEN_BYTE[c.charCodeAt(0)] = 1;
/** A request line's shape, loosely: method, target, version; parsers judge the details. */
const REQUEST_LINE_SHAPE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+ +[^ ]+ +HTTP\/\d/;

/**
 * Collects bytes until the blank line that ends an HTTP/1.x head, over any chunking, in one
 * growing buffer (no re-concatenation per chunk). Lines may end in CRLF or a bare LF, as
 * RFC 9112 §2.2 lets a recipient accept and nginx does. Throws a WireError once the head
 * outgrows its limit (431), or, for a request, as soon as the bytes cannot be HTTP (400).
 */
export class HeadReader {
  private buffer: Buffer = Buffer.alloc(0);
  private size = 0;
  /** Where the search for the blank line resumes. */
  private scanned = 0;
  private shapeChecked = false;
  private shapeScanned = 0;
  private readonly limit: number;
  private readonly request: boolean;

  constructor(options: HeadReaderOptions | number = {}) {
    const o = typeof options === 'number' ? { limit: options } : options;
    this.limit = o.limit ?? MAX_HEAD_BYTES;
    this.request = o.request ?? false;
  }

  get buffered(): number {
    return this.size;
  }

  push(chunk: Buffer): HeadResult {
    if (this.request && this.size === 0) {
      // Empty lines before a request line are ignored (RFC 9112 §2.2; nginx does the same).
      let skip = 0;
      while (skip < chunk.length && (chunk[skip] === CR || chunk[skip] === LF)) skip++;
      chunk = chunk.subarray(skip);
      if (chunk.length === 0) return undefined;
    }
    this.append(chunk);
    if (this.request && !this.shapeChecked) this.checkShape();
    const end = this.findEnd();
    if (end === -1) {
      if (this.size > this.limit) {
        throw wireError('HEAD_TOO_LARGE', `request head exceeds ${this.limit} bytes without ending`, { status: 431 });
      }
      return undefined;
    }
    if (end > this.limit) {
      throw wireError('HEAD_TOO_LARGE', `request head is ${end} bytes; the limit is ${this.limit}`, { status: 431 });
    }
    const all = this.buffer.subarray(0, this.size);
    return { head: all.subarray(0, end), rest: all.subarray(end) };
  }

  /** Everything received so far that did not make a whole head. */
  pending(): Buffer {
    return this.buffer.subarray(0, this.size);
  }

  private append(chunk: Buffer): void {
    const needed = this.size + chunk.length;
    if (needed > this.buffer.length) {
      // Grow by doubling, but never far past what the limit lets a head take.
      const grown = Buffer.allocUnsafe(Math.max(needed, Math.min(this.buffer.length * 2, this.limit + 4096), 1024));
      this.buffer.copy(grown, 0, 0, this.size);
      this.buffer = grown;
    }
    chunk.copy(this.buffer, this.size);
    this.size = needed;
  }

  /** Index just past the blank line (LF LF or LF CR LF), or -1. Each byte is looked at about once. */
  private findEnd(): number {
    const b = this.buffer;
    let at = this.scanned;
    for (;;) {
      const lf = b.indexOf(LF, at);
      if (lf === -1 || lf >= this.size) {
        this.scanned = this.size;
        return -1;
      }
      if (lf + 1 < this.size && b[lf + 1] === LF) return lf + 2;
      if (lf + 2 < this.size && b[lf + 1] === CR && b[lf + 2] === LF) return lf + 3;
      if (lf + 2 >= this.size) {
        // The bytes that would make this a blank line have not arrived yet.
        this.scanned = lf;
        return -1;
      }
      at = lf + 1;
    }
  }

  private checkShape(): void {
    const b = this.buffer;
    const first = b[0] ?? 0;
    if (!TOKEN_BYTE[first]) throw notHttp(b.subarray(0, this.size));
    const lf = b.indexOf(LF);
    if (lf === -1 || lf >= this.size) {
      // Until the line ends, each byte must still fit a request line's alphabet.
      for (; this.shapeScanned < this.size; this.shapeScanned++) {
        const c = b[this.shapeScanned] ?? 0;
        if (c < 0x20 && c !== 0x09 && c !== CR) throw notHttp(b.subarray(0, this.size));
      }
      return;
    }
    this.shapeChecked = true;
    const line = b.toString('latin1', 0, lf).replace(/\r$/, '');
    if (!REQUEST_LINE_SHAPE.test(line)) throw notHttp(b.subarray(0, this.size));
  }
}

function notHttp(received: Buffer): Error {
  const line = received.subarray(0, 80).toString('latin1').split('\n')[0] ?? '';
  return wireError('NOT_HTTP', `not an HTTP/1.x request line: ${JSON.stringify(line)}`, { status: 400 });
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const VERSION = /^HTTP\/(\d)\.(\d)$/;

function splitLines(head: Buffer): string[] {
  // latin1 keeps every byte as one character, so obs-text survives and nothing throws.
  const text = head.toString('latin1');
  return text.replace(/\r?\n\r?\n$/, '').split(/\r?\n/);
}

function parseHeaderLines(lines: string[], status: number): HeaderList {
  const headers: HeaderList = [];
  for (const line of lines) {
    if (line.startsWith(' ') || line.startsWith('\t')) {
      throw wireError('OBSOLETE_LINE_FOLDING', `header line folded onto the previous one: ${JSON.stringify(line)} (RFC 9112 §5.2)`, { status });
    }
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    if (!TOKEN.test(name)) {
      throw wireError('BAD_HEADER_LINE', `not a header field: ${JSON.stringify(line.slice(0, 80))}`, { status });
    }
    headers.push([name, line.slice(colon + 1).trim()]);
  }
  return headers;
}

export function parseRequestHead(head: Buffer): RequestHead {
  const [requestLine = '', ...lines] = splitLines(head);
  const parts = requestLine.split(' ');
  const [method = '', target = '', version = ''] = parts;
  if (parts.length !== 3 || !TOKEN.test(method) || target === '' || !VERSION.test(version)) {
    throw wireError('BAD_REQUEST_LINE', `not an HTTP/1.x request line: ${JSON.stringify(requestLine.slice(0, 80))}`, { status: 400 });
  }
  return { method, target, httpVersion: version.slice(5), headers: parseHeaderLines(lines, 400) };
}

export function parseResponseHead(head: Buffer): ResponseHead {
  const [statusLine = '', ...lines] = splitLines(head);
  const match = /^(HTTP\/\d\.\d) (\d{3})(?: (.*))?$/.exec(statusLine);
  if (!match) {
    throw wireError('BAD_STATUS_LINE', `not an HTTP/1.x status line: ${JSON.stringify(statusLine.slice(0, 80))}`, { status: 502 });
  }
  return {
    httpVersion: match[1]!.slice(5),
    status: Number(match[2]),
    reason: match[3] ?? '',
    headers: parseHeaderLines(lines, 502),
  };
}

export function serializeRequestHead(head: RequestHead): string {
  return `${head.method} ${head.target} HTTP/${head.httpVersion}\r\n${serializeHeaders(head.headers)}\r\n`;
}

export function serializeResponseHead(head: ResponseHead): string {
  return `HTTP/${head.httpVersion} ${head.status} ${head.reason}\r\n${serializeHeaders(head.headers)}\r\n`;
}

function serializeHeaders(headers: HeaderList): string {
  let out = '';
  for (const [name, value] of headers) out += `${name}: ${value}\r\n`;
  return out;
}

/** Node's `req.headers` shape, which `ws` reads: lower-cased names, duplicates joined with ", ". */
export function nodeHeaders(headers: HeaderList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [n, v] of headers) {
    const lower = n.toLowerCase();
    out[lower] = lower in out ? `${out[lower]}, ${v}` : v;
  }
  return out;
}

/** The lab's correlation parameters, from an origin-form target or an absolute URL. */
export function labParams(target: string): URLSearchParams {
  const q = target.indexOf('?');
  return new URLSearchParams(q === -1 ? '' : target.slice(q + 1));
}
