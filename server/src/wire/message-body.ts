import { ChunkedDecoder } from './chunked.ts';
import { headerValue, type ResponseHead } from './http-head.ts';

/**
 * A response's content (RFC 9112 §6.3), read to its end — by Content-Length, by the last
 * chunk of a chunked body, or by the connection's end — then reported once. At most `cap`
 * content bytes are kept; reaching the cap also ends it, so a body never grows memory.
 */
export class MessageBody {
  private parts: Buffer[] = [];
  private size = 0;
  private received = 0;
  private done = false;
  private readonly length: number | undefined;
  private readonly chunked: ChunkedDecoder | undefined;

  constructor(
    head: ResponseHead,
    private readonly cap: number,
    private readonly report: (content: Buffer, complete: boolean) => void,
  ) {
    const length = headerValue(head.headers, 'content-length')?.trim();
    this.length = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
    this.chunked = /chunked/i.test(headerValue(head.headers, 'transfer-encoding') ?? '') ? new ChunkedDecoder() : undefined;
    const empty = head.status === 204 || head.status === 304 || (this.chunked === undefined && this.length === 0);
    if (empty) queueMicrotask(() => this.finish(true));
  }

  push(bytes: Buffer): void {
    if (this.done || bytes.length === 0) return;
    if (this.chunked) {
      for (const piece of this.chunked.push(bytes)) this.keep(piece);
      if (this.chunked.complete || this.chunked.error !== undefined) return this.finish(this.chunked.complete);
    } else {
      const wanted = this.length === undefined ? bytes.length : Math.max(0, this.length - this.received);
      this.keep(bytes.subarray(0, wanted));
      if (this.length !== undefined && this.received >= this.length) return this.finish(true);
    }
    if (this.size >= this.cap) this.finish(false);
  }

  /** The connection ended: what arrived is all there is (complete only for a body framed by the close). */
  end(): void {
    this.finish(this.chunked === undefined && this.length === undefined);
  }

  private keep(piece: Buffer): void {
    this.received += piece.length;
    const room = this.cap - this.size;
    if (room <= 0 || piece.length === 0) return;
    const kept = piece.length > room ? piece.subarray(0, room) : piece;
    this.parts.push(kept);
    this.size += kept.length;
  }

  private finish(complete: boolean): void {
    if (this.done) return;
    this.done = true;
    const content = Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.report(content, complete);
  }
}
