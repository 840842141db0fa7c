// A hop in front of the echo server files a connection before the echo server sees it. When
// the URL names the connection (`conn=`), both file it under that id; a terminal client's URL
// often names none, and then the only thing both hops see is the request's own
// Sec-WebSocket-Key, which a proxy forwards unchanged and a client makes new for every
// connection (RFC 6455 §4.1). This is that meeting point.

import type { Party, Route } from '../transcript/types.ts';

/**
 * Who sent the request a proxy received, given the route the connection took so far: the
 * forward proxy when it saw the connection first (a CONNECT arrived), else the browser.
 */
export const frontOf = (route: Route): Party => (route === 'forward-proxy' ? 'forward-proxy' : 'browser');

export interface Expected {
  session: string;
  conn: string;
  /** Who the echo server's peer is: the hop that filed the connection. */
  peer: Party;
}

/** How long an entry waits for the echo server, and how many may wait at once. */
const TTL_MS = 30_000;
const MAX_ENTRIES = 1_000;

export class HandshakeCorrelation {
  private readonly byKey = new Map<string, Expected & { at: number }>();

  /** A hop filed a connection whose URL names none: the echo server may claim it by key. */
  expect(key: string | undefined, expected: Expected): void {
    if (key === undefined || key === '') return;
    this.prune();
    this.byKey.delete(key);
    this.byKey.set(key, { ...expected, at: Date.now() });
    // Oldest first (insertion order): a flood of handshakes that never reach the echo server cannot grow this.
    for (const old of this.byKey.keys()) {
      if (this.byKey.size <= MAX_ENTRIES) break;
      this.byKey.delete(old);
    }
  }

  /** The connection a hop in front filed for this key, once. */
  claim(key: string | undefined): Expected | undefined {
    if (key === undefined) return undefined;
    const found = this.byKey.get(key);
    this.byKey.delete(key);
    if (!found || Date.now() - found.at > TTL_MS) return undefined;
    const { at: _at, ...expected } = found;
    return expected;
  }

  private prune(): void {
    const now = Date.now();
    for (const [key, entry] of this.byKey) {
      if (now - entry.at <= TTL_MS) break;
      this.byKey.delete(key);
    }
  }
}
