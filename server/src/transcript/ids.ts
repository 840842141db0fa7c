import { randomBytes } from 'node:crypto';

export function newSessionId(): string {
  // 128 bits from the CSPRNG: the id is the only key to a session's captures.
  return randomBytes(16).toString('base64url');
}

/** An id for a connection whose URL carried no `conn` (a terminal client): `t-` and 40 random bits. */
export function newConnectionId(prefix = 't'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}
