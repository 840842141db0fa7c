// permessage-deflate (RFC 7692) for display: which parameters a 101 agreed on, and the
// inflated text of each compressed message, per direction, in frame order.
import { ZStream, Z_BUF_ERROR, Z_OK, Z_STREAM_END, Z_SYNC_FLUSH, zlibInflate, zlibInflateInit2, zlibInflateReset } from 'pako';
import type { DecodedFrame } from './frame-decoder.ts';

export interface DeflateParams {
  serverNoContextTakeover: boolean;
  clientNoContextTakeover: boolean;
  serverMaxWindowBits: number;
  clientMaxWindowBits: number;
  /** Parameters exactly as negotiated, for display. */
  raw: string;
  /** Parameters that could not be understood (RFC 7692 §7.1), when any. */
  problems?: string[];
}

/** Reads permessage-deflate from a 101's Sec-WebSocket-Extensions value; undefined when not negotiated. */
export function negotiatedDeflate(extensionsHeader: string | undefined): DeflateParams | undefined {
  if (!extensionsHeader) return undefined;
  // A response names each extension once; only its first permessage-deflate element counts.
  const offer = splitOutsideQuotes(extensionsHeader, ',').find(
    (element) => (splitOutsideQuotes(element, ';')[0] ?? '').trim().toLowerCase() === 'permessage-deflate',
  );
  if (offer === undefined) return undefined;
  const params: DeflateParams = {
    serverNoContextTakeover: false,
    clientNoContextTakeover: false,
    serverMaxWindowBits: 15,
    clientMaxWindowBits: 15,
    raw: offer.trim(),
  };
  const problems: string[] = [];
  for (const param of splitOutsideQuotes(offer, ';').slice(1)) {
    const eq = param.indexOf('=');
    const name = (eq === -1 ? param : param.slice(0, eq)).trim().toLowerCase();
    const value = eq === -1 ? undefined : unquote(param.slice(eq + 1).trim());
    if (name === 'server_no_context_takeover') params.serverNoContextTakeover = true;
    else if (name === 'client_no_context_takeover') params.clientNoContextTakeover = true;
    else if (name === 'server_max_window_bits' || name === 'client_max_window_bits') {
      const bits = value === undefined ? 15 : windowBits(value);
      if (bits === undefined) problems.push(`${name}=${value ?? ''} is not a window size from 8 to 15 (RFC 7692 §7.1.2)`);
      else if (name === 'server_max_window_bits') params.serverMaxWindowBits = bits;
      else params.clientMaxWindowBits = bits;
    } else if (name !== '') problems.push(`unknown parameter ${name} (RFC 7692 §7.1)`);
  }
  if (problems.length > 0) params.problems = problems;
  return params;
}

/** A compressed message's outcome: its inflated bytes (a copy bounded by `maxCopy`) and their whole length. */
export type InflateResult = { ok: true; data: Buffer; length: number } | { ok: false; code: string; message: string };

export type DeflateDirection = 'client-to-server' | 'server-to-client';

/**
 * The most one message may inflate to before the lab stops inflating it: what the echo
 * server's ws accepts in one message (its maxPayload, 100 MiB). A zip bomb costs the lab this
 * much work at most, never this much memory.
 */
export const DEFAULT_MAX_INFLATE = 100 * 1024 * 1024;

/** RFC 7692 §7.2.2: the 4 octets a sender strips from each message's tail, put back before inflating. */
const TAIL = Uint8Array.from([0x00, 0x00, 0xff, 0xff]);
/** Output is produced in slices this big, so the work limit is checked as inflation goes. */
const SLICE = 16 * 1024;

export interface InflaterLimits {
  /** Inflated bytes kept per message (the stored copy); the rest is counted, not kept. */
  maxCopy?: number;
  /** Inflated bytes per message after which the lab stops inflating (see DEFAULT_MAX_INFLATE). */
  maxInflate?: number;
}

/**
 * Inflates one direction's compressed messages as their bytes arrive, with one streaming
 * inflater per direction, as the receiving endpoint does: every compressed byte goes through
 * it, so with context takeover each message can refer back to the ones before it (RFC 7692
 * §7.1.1), however large they were. Only the stored copy of the output is bounded.
 *
 * Why pako's zlib port rather than node:zlib? The tap must attach a message's text to the
 * frame event it is about to emit, synchronously, so events stay in wire order; node:zlib's
 * only synchronous calls close their stream after one use, so context takeover could not be
 * kept without buffering whole messages.
 */
export class MessageInflater {
  private readonly windowBits: number;
  private readonly noContextTakeover: boolean;
  private readonly maxCopy: number;
  private readonly maxInflate: number;
  private stream: ZStream | undefined;
  private readonly out = new Uint8Array(SLICE);
  /** Why no later message of this direction can be inflated, once context is lost. */
  private contextLost: string | undefined;
  private closed = false;
  // The data message being followed.
  private inMessage = false;
  private compressed = false;
  /** begin() was called for the current frame. */
  private frameBegun = false;
  /** The current frame's payload is being written in (begin() said so). */
  private framePending = false;
  private frameWritten = 0;
  private failed: InflateResult | undefined;
  private copy: Buffer[] = [];
  private copied = 0;
  private inflated = 0;

  constructor(
    params: DeflateParams,
    readonly direction: DeflateDirection,
    limits: InflaterLimits = {},
  ) {
    const client = direction === 'client-to-server';
    // Node raises a raw deflater's window of 8 bits to 9 (zlib refuses 8), so a peer that
    // agreed on 8 may send 9-bit distances: inflating with 8 would reject its valid data.
    this.windowBits = Math.max(9, client ? params.clientMaxWindowBits : params.serverMaxWindowBits);
    this.noContextTakeover = client ? params.clientNoContextTakeover : params.serverNoContextTakeover;
    this.maxCopy = Math.max(0, limits.maxCopy ?? 64 * 1024);
    this.maxInflate = Math.max(1, limits.maxInflate ?? DEFAULT_MAX_INFLATE);
  }

  /**
   * A data frame's header is complete. Answers whether its payload belongs to a compressed
   * message, in which case every byte of it must come through write(), in order.
   */
  begin(opcode: number, rsv1: boolean): boolean {
    this.frameBegun = true;
    this.framePending = false;
    this.frameWritten = 0;
    if (this.closed) return false;
    if (opcode === 0x1 || opcode === 0x2) {
      // RFC 7692 §6: a message is compressed iff its first frame has RSV1 set.
      this.inMessage = true;
      this.compressed = rsv1;
      this.failed = undefined;
      this.copy = [];
      this.copied = 0;
      this.inflated = 0;
      if (rsv1 && this.noContextTakeover) this.reset();
    } else if (opcode !== 0x0 || !this.inMessage) {
      return false;
    }
    this.framePending = this.compressed;
    return this.framePending;
  }

  /** Payload bytes of the current frame, unmasked; only read during the call. */
  write(chunk: Uint8Array): void {
    if (!this.framePending || chunk.length === 0) return;
    this.frameWritten += chunk.length;
    this.inflate(chunk);
  }

  /**
   * The frame is over. Answers on the frame that ends a compressed message. A caller that did
   * not stream the payload in (begin/write) may pass whole frames here instead.
   */
  frame(frame: DecodedFrame): InflateResult | undefined {
    if (this.closed) return undefined;
    // Streamed in, every byte that arrived was written; handed whole, a truncated copy lacks some.
    const streamed = this.frameBegun;
    if (!streamed && this.begin(frame.opcode, frame.rsv1)) this.write(frame.payload);
    const pending = this.framePending;
    this.frameBegun = false;
    this.framePending = false;
    if (frame.opcode >= 0x8 || (frame.opcode === 0x0 && !this.inMessage) || frame.opcode > 0x2) return undefined;
    if (pending && (this.frameWritten < frame.length || (!streamed && frame.truncated))) {
      this.fail(
        'NOT_INFLATED',
        `not inflated: ${frame.length - this.frameWritten} of this frame's ${frame.length} compressed bytes never arrived (connection cut, or not captured), and deflate data cannot be decoded with bytes missing`,
        'an earlier compressed message was cut short',
      );
    }
    if (!frame.fin) return undefined;
    this.inMessage = false;
    if (!this.compressed) return undefined;
    if (this.failed) return this.failed;
    // The sender's Z_SYNC_FLUSH marker, which it stripped: inflating it completes the message.
    this.inflate(TAIL);
    if (this.failed) return this.failed;
    const data = this.copy.length === 1 ? this.copy[0]! : Buffer.concat(this.copy);
    this.copy = [];
    return { ok: true, data, length: this.inflated };
  }

  close(): void {
    this.closed = true;
    this.copy = [];
    this.stream = undefined;
  }

  /** A new deflate stream, with no window: cheaper than a new inflater. */
  private reset(): void {
    if (this.stream) zlibInflateReset(this.stream);
  }

  private open(): ZStream {
    if (this.stream) return this.stream;
    const stream = new ZStream();
    zlibInflateInit2(stream, -this.windowBits);
    stream.output = this.out;
    stream.next_out = 0;
    stream.avail_out = SLICE;
    this.stream = stream;
    return stream;
  }

  /** Runs `input` through the direction's inflater, keeping what fits in the copy and counting the rest. */
  private inflate(input: Uint8Array): void {
    if (this.failed) return;
    if (this.contextLost !== undefined) {
      this.failed = { ok: false, code: 'NOT_INFLATED', message: this.contextLost };
      return;
    }
    const stream = this.open();
    stream.input = input;
    stream.next_in = 0;
    stream.avail_in = input.length;
    for (;;) {
      stream.next_out = 0;
      stream.avail_out = SLICE;
      const status = zlibInflate(stream, Z_SYNC_FLUSH);
      const produced = SLICE - stream.avail_out;
      if (produced > 0) this.keep(produced);
      if (status === Z_STREAM_END) {
        // A block with BFINAL set ended the deflate stream (RFC 7692 §7.2.3.1): the next data starts a new one.
        this.stream = undefined;
        if (stream.avail_in > 0) this.inflate(input.subarray(input.length - stream.avail_in));
        return;
      }
      if (status !== Z_OK && status !== Z_BUF_ERROR) {
        this.fail(
          'INFLATE_FAILED',
          `inflating the ${this.direction} message failed: ${stream.msg || `zlib status ${status}`} (the sender's deflate data is invalid for the negotiated parameters)`,
          'an earlier compressed message could not be inflated',
        );
        return;
      }
      if (this.inflated > this.maxInflate) {
        this.fail(
          'INFLATE_TOO_LARGE',
          `not inflated: the message inflates to more than ${this.maxInflate} bytes, where the lab stops inflating (a message this large is refused by the echo server's ws, maxPayload)`,
          `an earlier compressed message inflated past ${this.maxInflate} bytes, where the lab stops`,
        );
        return;
      }
      // A slice left unfilled means the inflater has used all the input it can: wait for more.
      if (stream.avail_out > 0) return;
    }
  }

  private keep(produced: number): void {
    this.inflated += produced;
    const room = this.maxCopy - this.copied;
    if (room <= 0) return;
    const take = Math.min(room, produced);
    this.copy.push(Buffer.from(this.out.subarray(0, take)));
    this.copied += take;
  }

  /** Reports this message's failure; with context takeover, later messages are lost with it. */
  private fail(code: string, message: string, cause: string): void {
    this.failed ??= { ok: false, code, message };
    this.copy = [];
    if (this.noContextTakeover) {
      this.stream = undefined;
      return;
    }
    if (this.contextLost === undefined) {
      this.contextLost =
        `not inflated: ${cause} in this direction (${this.direction}), and with context takeover ` +
        'each message may refer back to the uncompressed bytes of the ones before it (RFC 7692 §7.1.1), so no later message of this direction can be inflated';
      this.stream = undefined;
    }
  }
}

function windowBits(value: string): number | undefined {
  if (!/^\d+$/.test(value)) return undefined;
  const bits = Number(value);
  return bits >= 8 && bits <= 15 ? bits : undefined;
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

/** Splits on `separator` outside double-quoted strings (RFC 9110 §5.6.4 quoted-string). */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && quoted) i++;
    else if (ch === '"') quoted = !quoted;
    else if (ch === separator && !quoted) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}
