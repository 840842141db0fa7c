// Shorthands the lesson definitions share: a route chosen then connected, a failed handshake.
import type { Action, Alias, ConnectOptions, Expectation, RouteKey } from '../types.ts';

/** Choose the route (and options), then press Connect: two actions, as a student does them. */
export function via(route: RouteKey, as: Alias, options?: ConnectOptions): Action[] {
  return [options === undefined ? { do: 'choose', route } : { do: 'choose', route, options }, { do: 'connect', as }];
}

/** The page's CloseEvent when a handshake or a connection failed: 1006, no reason, not clean. */
export const FAILED: Expectation = { kind: 'close', code: 1006, wasClean: false, reason: '' };

/** Chromium's console reason for a handshake it refused. */
export const handshakeError = (why: string): Expectation => ({ kind: 'chromium', says: `Error during WebSocket handshake: ${why}` });

/** The 101 the browser got. */
export const UPGRADED: Expectation = { kind: 'status', status: 101 };

/** A clean close from the browser with this code and reason. */
export const closedCleanly = (code: number, reason: string): Expectation => ({ kind: 'close', code, reason, wasClean: true });
