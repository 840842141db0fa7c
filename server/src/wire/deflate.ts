// STUB — interface only; the implementation lands with its tests.
import type { DecodedFrame } from './frame-decoder.ts';

export interface DeflateParams {
  serverNoContextTakeover: boolean;
  clientNoContextTakeover: boolean;
  serverMaxWindowBits: number;
  clientMaxWindowBits: number;
  /** Parameters exactly as negotiated, for display. */
  raw: string;
}

/** Reads permessage-deflate from a 101's Sec-WebSocket-Extensions value; undefined when not negotiated. */
export function negotiatedDeflate(_extensionsHeader: string | undefined): DeflateParams | undefined {
  return undefined;
}

export type InflateResult = { ok: true; data: Buffer } | { ok: false; code: string; message: string };

/** Inflates one direction's compressed messages, keeping the LZ77 context when takeover is on. */
export class MessageInflater {
  constructor(_params: DeflateParams, _direction: 'client-to-server' | 'server-to-client', _maxOutput?: number) {}
  /** Feed every data frame of the direction in order; answers on the frame that ends a compressed message. */
  frame(_frame: DecodedFrame): InflateResult | undefined {
    return undefined;
  }
  close(): void {}
}
