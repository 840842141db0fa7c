import type { FrameEvent } from '../../../../server/src/transcript/types.ts';
import { base64ToBytes, strictUtf8, toHex, utf8 } from '../../components/bytes.ts';

/** What one leg of a message carried: its frames' payloads put back together, inflated when compressed. */
export interface LegPayload {
  /** The message's bytes as the application sees them: inflated when it was compressed. */
  bytes: Uint8Array;
  /** Payload bytes the frame headers declared on the wire (compressed, when compressed). */
  wireLength: number;
  compressed: boolean;
  /** Some frame's payload was not captured in full (the lab's copy cap). */
  truncated: boolean;
  /** Compressed: the whole message's inflated size, of which `bytes` may be the capped first part. */
  inflatedLength?: number;
}

/** Bytes of the message searched and previewed: enough for any search, bounded per message. */
export const SEARCH_CAP = 16 * 1024;
/** Characters a row shows before an explicit "…"; the rest is in its title and the inspector. */
export const PREVIEW_CHARS = 160;

export function isControl(opcode: number): boolean {
  return opcode >= 0x8;
}

/** The opcode a data message started with: continuation frames belong to the text or binary message before them. */
export function isTextual(opcode: number): boolean {
  return opcode === 0x1 || opcode === 0x9 || opcode === 0xa;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A leg's frames as one message: the inflated bytes the last frame carries, else the payloads joined. */
export function legPayload(frames: readonly FrameEvent[]): LegPayload {
  const wireLength = frames.reduce((n, f) => n + f.length, 0);
  const truncated = frames.some((f) => f.truncated);
  const last = frames[frames.length - 1];
  // permessage-deflate: the frame that ends a compressed message carries the whole message inflated.
  if (last?.inflated !== undefined) {
    const bytes = base64ToBytes(last.inflated);
    return { bytes, wireLength, compressed: true, truncated, inflatedLength: last.inflatedLength ?? bytes.length };
  }
  const compressed = frames[0]?.rsv1 === true;
  return { bytes: concat(frames.map((f) => base64ToBytes(f.payload))), wireLength, compressed, truncated };
}

/** Control characters would break a one-line row: a middle dot stands for each. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, '·');
}

/** What a search matches and a row previews; binary messages read as spaced hex ("01 02 ff"). */
export interface Searchable {
  text: string;
  binary: boolean;
  /** The text is not the whole message: past SEARCH_CAP, or the capture was truncated. */
  cut: boolean;
}

const ASCII = /^[\x00-\x7f]*$/;
/** Base64 characters that hold SEARCH_CAP bytes. */
const CAP_BASE64 = Math.ceil(SEARCH_CAP / 3) * 4;

export function searchableText(opcode: number, frames: readonly FrameEvent[]): Searchable {
  const first = frames[0];
  if (!first) return { text: '', binary: false, cut: false };
  if (first.close) return { text: `${first.close.code ?? '(no code)'}${first.close.reason ? ` “${first.close.reason}”` : ''}`, binary: false, cut: false };
  if (first.rsv1 && frames[frames.length - 1]?.inflated === undefined) return { text: '(compressed, not inflated)', binary: false, cut: false };
  // The common case, kept cheap for a live flush of hundreds of frames: one frame of ASCII text,
  // which reads the same as bytes and as UTF-8, so no decoder runs.
  if (frames.length === 1 && (opcode === 0x1 || isTextual(opcode))) {
    const base64 = first.inflated ?? first.payload;
    const latin1 = atob(base64.length > CAP_BASE64 ? base64.slice(0, CAP_BASE64) : base64);
    if (ASCII.test(latin1)) return { text: latin1, binary: false, cut: first.truncated || base64.length > CAP_BASE64 };
  }
  const { bytes, truncated } = legPayload(frames);
  const cut = truncated || bytes.length > SEARCH_CAP;
  const head = bytes.length > SEARCH_CAP ? bytes.subarray(0, SEARCH_CAP) : bytes;
  if (opcode === 0x1 || opcode === 0x0) return { text: utf8(head), binary: false, cut };
  if (isTextual(opcode)) {
    // Ping and pong payloads are often binary: text only when it decodes cleanly.
    const text = strictUtf8(head);
    if (text !== undefined) return { text, binary: false, cut };
  }
  return { text: toHex(head), binary: true, cut };
}

/** The start of a message's text for its row, with an explicit "…" when there is more. */
export function previewOf({ text, cut }: Searchable): string {
  const line = oneLine(text.length > PREVIEW_CHARS ? text.slice(0, PREVIEW_CHARS) : text);
  return text.length > PREVIEW_CHARS || cut ? `${line}…` : line;
}
