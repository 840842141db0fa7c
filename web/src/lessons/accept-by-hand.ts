// Sec-WebSocket-Accept by hand (RFC 6455 §4.2.2 item 5.4, §1.3): the steps a server takes
// from the key the browser sent, each one shown, for the lesson on the 101 exchange.
import { sha1, WEBSOCKET_GUID } from '../features/handshake/accept.ts';

export interface AcceptSteps {
  /** Sec-WebSocket-Key as sent. */
  key: string;
  /** The 16 random bytes the key encodes, in hex. */
  keyBytes: string;
  /** key + the GUID, the text that is hashed. */
  concatenated: string;
  /** SHA-1 of its ASCII bytes: 20 bytes, in hex. */
  sha1Hex: string;
  /** Those 20 bytes in base64: the Sec-WebSocket-Accept value. */
  accept: string;
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

function base64Bytes(text: string): Uint8Array {
  try {
    const binary = atob(text);
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return new Uint8Array();
  }
}

export function acceptByHand(key: string): AcceptSteps {
  const trimmed = key.trim();
  const concatenated = trimmed + WEBSOCKET_GUID;
  const digest = sha1(new TextEncoder().encode(concatenated));
  return {
    key: trimmed,
    keyBytes: hex(base64Bytes(trimmed)),
    concatenated,
    sha1Hex: hex(digest),
    accept: btoa(String.fromCharCode(...digest)),
  };
}

export { WEBSOCKET_GUID };
