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

const CRLFCRLF = Buffer.from('\r\n\r\n');

export type HeadResult = { head: Buffer; rest: Buffer } | undefined;

/**
 * Collects bytes until the blank line that ends an HTTP/1.x head, over any chunking.
 * Throws a WireError (status 431) once the head outgrows its limit.
 */
export class HeadReader {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly limit = MAX_HEAD_BYTES) {}

  get buffered(): number {
    return this.size;
  }

  push(chunk: Buffer): HeadResult {
    // Search only the new bytes plus the 3 before them, so a head split anywhere is found in linear time.
    const searchFrom = Math.max(0, this.size - 3);
    this.chunks.push(chunk);
    this.size += chunk.length;
    const all = this.chunks.length === 1 ? chunk : Buffer.concat(this.chunks, this.size);
    this.chunks = [all];
    const end = all.indexOf(CRLFCRLF, searchFrom);
    if (end === -1) {
      if (this.size > this.limit) {
        throw wireError('HEAD_TOO_LARGE', `request head exceeds ${this.limit} bytes without ending`, { status: 431 });
      }
      return undefined;
    }
    if (end + 4 > this.limit) {
      throw wireError('HEAD_TOO_LARGE', `request head is ${end + 4} bytes; the limit is ${this.limit}`, { status: 431 });
    }
    return { head: all.subarray(0, end + 4), rest: all.subarray(end + 4) };
  }

  /** Everything received so far that did not make a whole head. */
  pending(): Buffer {
    return this.chunks.length === 0 ? Buffer.alloc(0) : Buffer.concat(this.chunks, this.size);
  }
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const VERSION = /^HTTP\/(\d)\.(\d)$/;

function splitLines(head: Buffer): string[] {
  // latin1 keeps every byte as one character, so obs-text survives and nothing throws.
  const text = head.toString('latin1');
  const body = text.endsWith('\r\n\r\n') ? text.slice(0, -4) : text;
  return body.split('\r\n');
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
