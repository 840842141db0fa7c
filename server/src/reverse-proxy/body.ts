import { headerValue, type ResponseHead } from '../wire/http-head.ts';

/** The most of a refusal's body the proxy buffers before relaying what it has. */
export const MAX_RELAYED_BODY = 1024 * 1024;

/**
 * Reads an upstream refusal's content to its end — by Content-Length, by the last chunk of a
 * chunked body (de-chunked here; the relay re-frames it), or by the connection's end — then
 * reports it once.
 */
export class BodyCollector {
  private raw: Buffer[] = [];
  private size = 0;
  private done = false;
  private readonly length: number | undefined;
  private readonly chunked: boolean;

  constructor(
    head: ResponseHead,
    private readonly report: (content: Buffer) => void,
  ) {
    const length = headerValue(head.headers, 'content-length');
    this.length = length !== undefined && /^\d+$/.test(length.trim()) ? Number(length) : undefined;
    this.chunked = /chunked/i.test(headerValue(head.headers, 'transfer-encoding') ?? '');
    if (!this.chunked && (this.length === 0 || head.status === 204 || head.status === 304)) queueMicrotask(() => this.finish());
  }

  push(chunk: Buffer): void {
    if (this.done || chunk.length === 0) return;
    this.raw.push(chunk);
    this.size += chunk.length;
    if (this.size >= MAX_RELAYED_BODY) return this.finish();
    if (!this.chunked && this.length !== undefined && this.size >= this.length) return this.finish();
    if (this.chunked && dechunk(Buffer.concat(this.raw)).complete) this.finish();
  }

  end(): void {
    this.finish();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    const all = Buffer.concat(this.raw, this.size);
    const content = this.chunked ? dechunk(all).content : all.subarray(0, this.length ?? all.length);
    this.report(content);
  }
}

/** RFC 9112 §7.1: size in hex, CRLF, data, CRLF, … a zero-size chunk ends it. Trailers are ignored. */
function dechunk(bytes: Buffer): { content: Buffer; complete: boolean } {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = bytes.indexOf('\r\n', at);
    if (eol === -1) return { content: Buffer.concat(parts), complete: false };
    const size = parseInt(bytes.subarray(at, eol).toString('latin1').split(';')[0]!.trim(), 16);
    if (!Number.isFinite(size)) return { content: Buffer.concat(parts), complete: true };
    if (size === 0) return { content: Buffer.concat(parts), complete: true };
    const start = eol + 2;
    if (bytes.length < start + size + 2) {
      parts.push(bytes.subarray(start, Math.min(bytes.length, start + size)));
      return { content: Buffer.concat(parts), complete: false };
    }
    parts.push(bytes.subarray(start, start + size));
    at = start + size + 2;
  }
}
