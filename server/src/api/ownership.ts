import type { IncomingMessage } from 'node:http';
import { log } from '../log.ts';
import { OWNER_HEADER } from './types.ts';
import type { Refused } from './boundary.ts';

/** Connections whose owner is remembered; beyond it the oldest are forgotten (and said so once). */
export const MAX_OWNED_CONNECTIONS = 200_000;
const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

/** The tab's owner token on a request, when it carries a well-formed one. */
export function ownerToken(req: IncomingMessage): string | undefined {
  const value = req.headers[OWNER_HEADER];
  return typeof value === 'string' && TOKEN.test(value) ? value : undefined;
}

/**
 * Which browser tab opened each connection. The tab that registers a connection (the `start`
 * report) with its owner token owns it: only requests carrying that token may report on it or
 * ask the echo server to act on it. A connection registered without a token (a script, a
 * terminal client's `default` session) has no owner and stays open to anyone who may reach it.
 */
export class Owners {
  private readonly owners = new Map<string, string>();
  private forgotten = 0;

  constructor(private readonly max = MAX_OWNED_CONNECTIONS) {}

  private static key(session: string, conn: string): string {
    return `${session}\u0000${conn}`;
  }

  /** Registers `token` as the owner of a new connection; refused when another tab holds that id. */
  claim(session: string, conn: string, token: string | undefined): Refused | undefined {
    const key = Owners.key(session, conn);
    const held = this.owners.get(key);
    if (held !== undefined) return held === token ? undefined : this.refusal(conn, token);
    if (token === undefined) return undefined;
    this.owners.set(key, token);
    if (this.owners.size > this.max) {
      // Map keeps insertion order: the first key is the oldest claim.
      this.owners.delete(this.owners.keys().next().value!);
      if (this.forgotten++ === 0) log(`ownership: over ${this.max} connections; the oldest connections' owners are forgotten (anyone may act on those)`);
    }
    return undefined;
  }

  /** Undefined when `token` may act on the connection; else the 403 that says why. */
  check(session: string, conn: string, token: string | undefined): Refused | undefined {
    const held = this.owners.get(Owners.key(session, conn));
    return held === undefined || held === token ? undefined : this.refusal(conn, token);
  }

  private refusal(conn: string, token: string | undefined): Refused {
    return {
      status: 403,
      error:
        `connection ${conn} was opened by another browser tab (the presenter's, when you follow a lesson), and only that tab may act on it` +
        (token === undefined ? '; this request carried no owner token' : '') +
        '. Detach (or start a session of your own) and open your own connection to try this.',
    };
  }
}
