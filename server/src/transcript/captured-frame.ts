// A frame event that holds its captured bytes and encodes them as base64 only when read.
// Every frame a hop taps used to be base64-encoded as it passed (a second copy of each payload,
// and most of what capture cost at 64 KiB); most are never read at all, or read once when a
// transcript is exported. The event still reads as the contract's FrameEvent: `payload` and
// `inflated` are base64 strings, produced on each read and not kept, and JSON.stringify writes
// them through toJSON.
import type { FrameEvent, LabEvent, NewEvent, Party } from './types.ts';

/** Who saw the frame, and which way it went. */
export interface FrameSeen {
  observer: Party;
  from: Party;
  to: Party;
}

/** A decoded frame as the wire's decoder hands it over (wire/frame-decoder.ts's DecodedFrame). */
export interface FrameFacts {
  fin: boolean;
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  opcode: number;
  masked: boolean;
  length: number;
  payload: Uint8Array;
  truncated: boolean;
  maskKey?: Uint8Array;
  close?: { code?: number; reason: string };
}

/** base64's length for `n` bytes. */
const base64Length = (n: number) => Math.ceil(n / 3) * 4;

/**
 * Payloads up to this size are encoded at once: a short string costs the garbage collector less
 * than a Buffer view per frame (measured: holding 64-byte Buffers halved the echo server's
 * throughput), and encoding a few bytes costs next to nothing.
 */
export const ENCODE_AT_ONCE_BYTES = 1024;

type Held = Uint8Array | string;

function hold(bytes: Uint8Array): Held {
  return bytes.byteLength <= ENCODE_AT_ONCE_BYTES ? encode(bytes) : bytes;
}

function encode(bytes: Uint8Array): string {
  // The decoder hands Buffers: encode them as they are, without a view made for it.
  return (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString('base64');
}

/** A frame whose payload (or inflated payload) travels as bytes: see CapturedFrame.toClone. */
export type HeldFrame = Omit<FrameEvent, 'payload' | 'inflated'> & { payload: Held; inflated?: Held };

const exact = (held: Held): Held => (typeof held === 'string' ? held : Uint8Array.prototype.slice.call(held));

/** A cloned frame back into the contract's FrameEvent: bytes written as base64. */
export function encodeHeld(event: LabEvent | HeldFrame): LabEvent {
  if (event.kind !== 'frame' || (typeof event.payload === 'string' && typeof (event.inflated ?? '') === 'string')) return event as LabEvent;
  const frame = event as HeldFrame;
  const { payload, inflated, ...rest } = frame;
  return { ...rest, payload: read(payload), ...(inflated === undefined ? {} : { inflated: read(inflated) }) };
}

const read = (held: Held) => (typeof held === 'string' ? held : encode(held));
const chars = (held: Held) => (typeof held === 'string' ? held.length : base64Length(held.byteLength));

export class CapturedFrame {
  readonly kind = 'frame' as const;
  observer: Party;
  from: Party;
  to: Party;
  fin: boolean;
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  opcode: number;
  masked: boolean;
  length: number;
  truncated: boolean;
  // Every field is set in the constructor, absent ones to undefined (JSON leaves those out): a
  // field added later, as the store's stamp was, lands outside the object, one more allocation
  // per frame for the garbage collector.
  maskKey?: string;
  close?: { code?: number; reason: string };
  inflatedLength?: number;
  /** Stamped by the store when it keeps the event. */
  seq = 0;
  time = '';
  readonly #payload: Held;
  #inflated: Held | undefined;

  // Reads the decoder's frame directly: building an intermediate object per frame (a spread
  // first, then fields) cost more than all the rest of a 64-byte frame's capture.
  constructor(seen: FrameSeen, frame: FrameFacts, inflated?: { data: Uint8Array; length: number }) {
    this.observer = seen.observer;
    this.from = seen.from;
    this.to = seen.to;
    this.fin = frame.fin;
    this.rsv1 = frame.rsv1;
    this.rsv2 = frame.rsv2;
    this.rsv3 = frame.rsv3;
    this.opcode = frame.opcode;
    this.masked = frame.masked;
    this.length = frame.length;
    this.truncated = frame.truncated;
    this.maskKey = frame.maskKey && Buffer.from(frame.maskKey.buffer, frame.maskKey.byteOffset, frame.maskKey.byteLength).toString('hex');
    this.close = frame.close;
    this.inflatedLength = inflated?.length;
    this.#payload = hold(frame.payload);
    this.#inflated = inflated && hold(inflated.data);
  }

  /** base64, unmasked, capped: a large payload is encoded on every read, not kept encoded. */
  get payload(): string {
    return read(this.#payload);
  }

  get inflated(): string | undefined {
    return this.#inflated === undefined ? undefined : read(this.#inflated);
  }

  /** The length `payload` plus `inflated` have as base64, without encoding them. */
  get base64Chars(): number {
    return chars(this.#payload) + (this.#inflated === undefined ? 0 : chars(this.#inflated));
  }

  /**
   * The FrameEvent for another thread (the sessions journal's writer): a payload still held as
   * bytes goes as an exact copy of them (a view's clone would carry its whole backing buffer), to
   * be written as base64 there with `encodeHeld`, off the loop that relays every tunnel.
   */
  toClone(): FrameEvent | HeldFrame {
    if (typeof this.#payload === 'string' && (this.#inflated === undefined || typeof this.#inflated === 'string')) return this.toJSON();
    const json: HeldFrame = { ...this.toJSON(), payload: exact(this.#payload) };
    if (this.#inflated !== undefined) json.inflated = exact(this.#inflated);
    return json;
  }

  /** The contract's FrameEvent, as a plain object: what JSON and a structured clone carry. */
  toJSON(): FrameEvent {
    // Listed, not spread: a transcript read writes 100,000 of these per request.
    const json: FrameEvent = {
      kind: 'frame', seq: this.seq, time: this.time, observer: this.observer, from: this.from, to: this.to,
      fin: this.fin, rsv1: this.rsv1, rsv2: this.rsv2, rsv3: this.rsv3, opcode: this.opcode, masked: this.masked,
      length: this.length, payload: this.payload, truncated: this.truncated,
    };
    if (this.maskKey !== undefined) json.maskKey = this.maskKey;
    if (this.close !== undefined) json.close = this.close;
    if (this.#inflated !== undefined) json.inflated = read(this.#inflated);
    if (this.inflatedLength !== undefined) json.inflatedLength = this.inflatedLength;
    return json;
  }
}

/**
 * The characters a frame's `payload` and `inflated` take as base64, without encoding a
 * CapturedFrame's bytes: what the store's budget counts.
 */
export function frameBase64Chars(event: NewEvent | LabEvent): number {
  if (event.kind !== 'frame') return 0;
  if (event instanceof CapturedFrame) return event.base64Chars;
  return event.payload.length + (event.inflated?.length ?? 0);
}
