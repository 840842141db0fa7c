import { createHash } from 'node:crypto';

/** RFC 6455 §1.3: the GUID every server appends to the client's key. */
export const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64(SHA-1(key + GUID)). */
export function computeAccept(key: string): string {
  return createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
}

/** RFC 6455 §4.1: the key is 16 random bytes, base64-encoded (24 characters ending in `==`). */
export function isValidKey(key: string | undefined): key is string {
  return key !== undefined && /^[+/0-9A-Za-z]{22}==$/.test(key);
}
