import type { FrameEvent, LabEvent } from '../../../../server/src/transcript/types.ts';
import { base64Prefix, strictUtf8, toHex, utf8 } from '../../components/bytes.ts';

/** RFC 6455 §5.2 opcode names; the unassigned ones are "reserved 0xN" (§11.8). */
export function opcodeName(opcode: number): string {
  switch (opcode) {
    case 0x0:
      return 'continuation';
    case 0x1:
      return 'text';
    case 0x2:
      return 'binary';
    case 0x8:
      return 'close';
    case 0x9:
      return 'ping';
    case 0xa:
      return 'pong';
    default:
      return `reserved 0x${opcode.toString(16).toUpperCase()}`;
  }
}

/** The 7-bit "Payload len" field: the length itself, or 126/127 saying a 16/64-bit length follows. */
export function payloadLen7(length: number): 126 | 127 | number {
  return length <= 125 ? length : length <= 0xffff ? 126 : 127;
}

export function isFrame(e: LabEvent): e is FrameEvent {
  return e.kind === 'frame';
}

const PREVIEW_BYTES = 48;

/** A one-line look at the payload, decoding only its first bytes. */
export function preview(frame: FrameEvent): string {
  if (frame.close) return `${frame.close.code ?? '(no code)'}${frame.close.reason ? ` “${frame.close.reason}”` : ''}`;
  if (frame.length === 0) return '';
  if (frame.rsv1 && frame.inflated === undefined) return '(compressed)';
  const bytes = base64Prefix(frame.inflated ?? frame.payload, PREVIEW_BYTES);
  if (frame.opcode === 0x2 || frame.opcode > 0xa || (frame.opcode > 0x2 && frame.opcode < 0x8)) return toHex(bytes.subarray(0, 16));
  // Ping and pong payloads are often binary: text only when it decodes cleanly.
  const text = frame.opcode === 0x9 || frame.opcode === 0xa ? strictUtf8(bytes) : utf8(bytes);
  if (text === undefined) return toHex(bytes.subarray(0, 16));
  // Control characters would break the row; show them as a middle dot.
  return text.replace(/[\u0000-\u001f\u007f]/g, '·');
}
