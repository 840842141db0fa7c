import { headerValue, type ResponseHead } from '../wire/http-head.ts';

/**
 * Collects a refusal's body (capped) until it is complete by Content-Length, by the last
 * chunk of a chunked body, or by the end of the connection, then reports it once.
 */
export class ResponseBody {
  private chunks: Buffer[] = [];
  private size = 0;
  private done = false;
  private readonly expected: number | undefined;
  private readonly chunked: boolean;

  constructor(
    head: ResponseHead,
    private readonly cap: number,
    private readonly report: (body: string | undefined) => void,
  ) {
    const length = headerValue(head.headers, 'content-length');
    this.expected = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
    this.chunked = /chunked/i.test(headerValue(head.headers, 'transfer-encoding') ?? '');
    if (this.expected === 0 || head.status === 204 || head.status === 304) this.finish();
  }

  push(chunk: Buffer): void {
    if (this.done || chunk.length === 0) return;
    const room = this.cap - this.size;
    if (room > 0) {
      const kept = chunk.subarray(0, room);
      this.chunks.push(kept);
      this.size += kept.length;
    }
    if (this.size >= this.cap) return this.finish();
    if (this.expected !== undefined && this.size >= this.expected) return this.finish();
    if (this.chunked && Buffer.concat(this.chunks).includes('\r\n0\r\n\r\n')) return this.finish();
    if (this.chunked && this.size >= 5 && Buffer.concat(this.chunks).subarray(0, 5).toString() === '0\r\n\r\n') this.finish();
  }

  end(): void {
    this.finish();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.report(this.size === 0 ? undefined : Buffer.concat(this.chunks, this.size).toString('utf8'));
  }
}
