/** RFC 6455 §7.4.1 and the IANA registry: what a close code means, in a few words. */
const NAMES: Record<number, string> = {
  1000: 'normal closure',
  1001: 'going away',
  1002: 'protocol error',
  1003: 'unsupported data',
  1005: 'no status received',
  1006: 'abnormal closure (no close frame)',
  1007: 'invalid payload data',
  1008: 'policy violation',
  1009: 'message too big',
  1010: 'mandatory extension missing',
  1011: 'internal error',
  1012: 'service restart',
  1013: 'try again later',
  1014: 'bad gateway',
  1015: 'TLS handshake failure',
};

export function closeCodeName(code: number): string {
  const known = NAMES[code];
  if (known) return known;
  if (code >= 3000 && code <= 3999) return 'registered for libraries and frameworks';
  if (code >= 4000 && code <= 4999) return 'private use';
  return 'not a valid close code';
}

/** May this code appear in a close frame on the wire (RFC 6455 §7.4)? Same rule as ws's isValidStatusCode. */
export function isValidWireCloseCode(code: number): boolean {
  return (
    (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) ||
    (code >= 3000 && code <= 4999)
  );
}

/** WebSocket.close(code) in a browser accepts only 1000 and 3000–4999 (WHATWG WebSockets §close()). */
export function isAllowedForBrowserClose(code: number): boolean {
  return code === 1000 || (code >= 3000 && code <= 4999);
}
