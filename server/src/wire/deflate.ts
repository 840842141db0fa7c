// permessage-deflate (RFC 7692) for display: which parameters a 101 agreed on, and the
// inflated text of each compressed message, per direction, in frame order.
import { constants, inflateRawSync } from 'node:zlib';
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

export type InflateResult = { ok: true; data: Buffer } | { ok: false; code: string; message: string };

export type DeflateDirection = 'client-to-server' | 'server-to-client';

export const DEFAULT_MAX_INFLATED = 1024 * 1024;

/** RFC 7692 §7.2.2: the 4 octets a sender strips from each message's tail, put back before inflating. */
const TAIL = Buffer.from([0x00, 0x00, 0xff, 0xff]);
const EMPTY = Buffer.alloc(0);

/** Inflates one direction's compressed messages, keeping the LZ77 context when takeover is on. */
export class MessageInflater {
  private readonly windowBits: number;
  private readonly noContextTakeover: boolean;
  private readonly maxOutput: number;
  /** The last 2^windowBits uncompressed bytes: what the next message may refer back to. */
  private window: Buffer = EMPTY;
  /** Why no later message of this direction can be inflated, once context is lost. */
  private contextLost: string | undefined;
  private closed = false;
  // The data message being collected.
  private inMessage = false;
  private compressed = false;
  private truncated = false;
  private parts: Buffer[] = [];
  private collected = 0;

  constructor(
    params: DeflateParams,
    readonly direction: DeflateDirection,
    maxOutput = DEFAULT_MAX_INFLATED,
  ) {
    const client = direction === 'client-to-server';
    // Node raises a raw deflater's window of 8 bits to 9 (zlib refuses 8), so a peer that
    // agreed on 8 may send 9-bit distances: inflating with 8 would reject its valid data.
    this.windowBits = Math.max(9, client ? params.clientMaxWindowBits : params.serverMaxWindowBits);
    this.noContextTakeover = client ? params.clientNoContextTakeover : params.serverNoContextTakeover;
    this.maxOutput = Math.max(1, maxOutput);
  }

  /** Feed every data frame of the direction in order; answers on the frame that ends a compressed message. */
  frame(frame: DecodedFrame): InflateResult | undefined {
    if (this.closed) return undefined;
    if (frame.opcode === 0x1 || frame.opcode === 0x2) {
      // RFC 7692 §6: a message is compressed iff its first frame has RSV1 set.
      this.inMessage = true;
      this.compressed = frame.rsv1;
      this.truncated = false;
      this.parts = [];
      this.collected = 0;
    } else if (frame.opcode !== 0x0 || !this.inMessage) {
      return undefined;
    }
    if (this.compressed) {
      this.collected += frame.payload.length;
      // A message of many small fragments must not grow past the limit either.
      if (frame.truncated || this.collected > this.maxOutput) {
        this.truncated = true;
        this.parts = [];
      } else if (!this.truncated) this.parts.push(frame.payload);
    }
    if (!frame.fin) return undefined;
    this.inMessage = false;
    if (!this.compressed) return undefined;
    const parts = this.parts;
    this.parts = [];
    return this.finishMessage(parts);
  }

  close(): void {
    this.closed = true;
    this.parts = [];
    this.window = EMPTY;
  }

  private finishMessage(parts: Buffer[]): InflateResult {
    if (this.truncated) {
      return this.lose(
        'NOT_INFLATED',
        'not inflated: part of this compressed message was not captured (capture cap or connection cut), and deflate data cannot be decoded with bytes missing',
        'an earlier compressed message was not fully captured',
      );
    }
    if (this.contextLost !== undefined) return { ok: false, code: 'NOT_INFLATED', message: this.contextLost };

    parts.push(TAIL);
    let data: Buffer;
    try {
      data = inflateMessage(Buffer.concat(parts), this.windowBits, this.noContextTakeover ? EMPTY : this.window, this.maxOutput);
    } catch (error) {
      if (isCode(error, 'ERR_BUFFER_TOO_LARGE')) {
        return this.lose(
          'INFLATE_TOO_LARGE',
          `not inflated: the message inflates to more than ${this.maxOutput} bytes, the display limit`,
          'an earlier compressed message inflated past the display limit',
        );
      }
      const reason = error instanceof Error ? error.message : String(error);
      return this.lose(
        'INFLATE_FAILED',
        `inflating the ${this.direction} message failed: ${reason} (the sender's deflate data is invalid for the negotiated parameters)`,
        'an earlier compressed message could not be inflated',
      );
    }
    if (!this.noContextTakeover) this.slideWindow(data);
    return { ok: true, data };
  }

  /** Reports this message's failure; with context takeover, later messages are lost with it. */
  private lose(code: string, message: string, cause: string): InflateResult {
    if (!this.noContextTakeover && this.contextLost === undefined) {
      this.contextLost =
        `not inflated: ${cause} in this direction (${this.direction}), and with context takeover ` +
        'each message may refer back to the uncompressed bytes of the ones before it (RFC 7692 §7.1.1)';
      this.window = EMPTY;
    }
    return { ok: false, code, message };
  }

  private slideWindow(data: Buffer): void {
    const size = 1 << this.windowBits;
    if (data.length >= size) {
      this.window = Buffer.from(data.subarray(data.length - size));
    } else {
      const keep = Math.min(this.window.length, size - data.length);
      this.window = Buffer.concat([this.window.subarray(this.window.length - keep), data]);
    }
  }
}

/**
 * Inflates one whole message synchronously, so the tap can attach the result to the frame
 * event it is about to emit and events stay in wire order.
 *
 * Why not one persistent zlib.InflateRaw driven through `_processChunk(buf, Z_SYNC_FLUSH)`
 * (what zlib's *Sync helpers call)? In Node 20 that internal closes the zlib handle when it
 * returns, so the second message would hit a null handle. Context takeover is rebuilt
 * instead: after the sender's Z_SYNC_FLUSH its stream sits byte-aligned at a block boundary,
 * and the only state carried into the next message is its LZ77 window — the last
 * 2^windowBits bytes of uncompressed data — which a preset dictionary restores exactly.
 */
function inflateMessage(compressed: Buffer, windowBits: number, dictionary: Buffer, maxOutput: number): Buffer {
  return inflateRawSync(compressed, {
    windowBits,
    finishFlush: constants.Z_SYNC_FLUSH,
    maxOutputLength: maxOutput,
    ...(dictionary.length > 0 ? { dictionary } : {}),
  });
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
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
