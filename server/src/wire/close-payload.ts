import { randomBytes } from 'node:crypto';
import { isValidWireCloseCode } from '../shared/close-codes.ts';
import { isValidUtf8 } from './utf8.ts';

/** A close frame's body (RFC 6455 §5.5.1): an optional 2-byte status code, then a UTF-8 reason. */
export interface ClosePayload {
  code?: number;
  reason: string;
}

export interface ClosePayloadProblem {
  code: 'INVALID_CLOSE_PAYLOAD' | 'INVALID_CLOSE_CODE' | 'INVALID_UTF8';
  message: string;
  closeCode: number;
}

/**
 * Parses a close frame's captured payload. `declaredLength` is the length the header gave:
 * when the capture is shorter (cap, or the stream ended), only what arrived is judged.
 */
export function parseClosePayload(
  payload: Buffer,
  declaredLength: number,
): { close: ClosePayload; problems: ClosePayloadProblem[] } {
  const problems: ClosePayloadProblem[] = [];
  if (declaredLength === 1) {
    problems.push({
      code: 'INVALID_CLOSE_PAYLOAD',
      message:
        'close frame payload is 1 byte long: a close body is empty or starts with a 2-byte status code (RFC 6455 §5.5.1)',
      closeCode: 1002,
    });
  }
  if (payload.length < 2) return { close: { reason: '' }, problems };

  const code = payload.readUInt16BE(0);
  if (!isValidWireCloseCode(code)) {
    problems.push({
      code: 'INVALID_CLOSE_CODE',
      message: `close code ${code} may not be sent in a close frame: ${whyInvalid(code)}`,
      closeCode: 1002,
    });
  }
  const reasonBytes = payload.subarray(2);
  const complete = payload.length === declaredLength;
  if (complete && !isValidUtf8(reasonBytes)) {
    problems.push({
      code: 'INVALID_UTF8',
      message: 'close reason is not valid UTF-8 (RFC 6455 §5.5.1 requires UTF-8)',
      closeCode: 1007,
    });
  }
  return { close: { code, reason: reasonBytes.toString('utf8') }, problems };
}

function whyInvalid(code: number): string {
  if (code < 1000) return 'codes 0-999 are not used (RFC 6455 §7.4.2)';
  if (code === 1004) return '1004 is reserved (RFC 6455 §7.4.1)';
  if (code === 1005 || code === 1006 || code === 1015) {
    return `${code} is reserved for reporting a closure locally and must never be sent (RFC 6455 §7.4.1)`;
  }
  if (code < 3000) return 'codes 1016-2999 are reserved for future revisions of the protocol (RFC 6455 §7.4.2)';
  return 'codes above 4999 are outside every range RFC 6455 §7.4.2 defines';
}

/**
 * A whole close frame (RFC 6455 §5.5.1) carrying `code` and `reason` (at most 123 bytes of
 * UTF-8). A hop writing towards a server masks it, as a client must (§5.3).
 */
export function closeFrame(code: number, reason: string, masked: boolean): Buffer {
  const text = Buffer.from(reason, 'utf8').subarray(0, 123);
  const payload = Buffer.alloc(2 + text.length);
  payload.writeUInt16BE(code, 0);
  text.copy(payload, 2);
  const header = Buffer.from([0x88, (masked ? 0x80 : 0) | payload.length]);
  if (!masked) return Buffer.concat([header, payload]);
  const key = randomBytes(4);
  for (let i = 0; i < payload.length; i++) payload[i]! ^= key[i % 4]!;
  return Buffer.concat([header, key, payload]);
}
