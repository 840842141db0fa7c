import type { WebSocket } from 'ws';
import type { EchoAction } from '../api/types.ts';
import { isValidWireCloseCode } from '../shared/close-codes.ts';

export type ActionResult = { ok: true } | { ok: false; status: number; error: string };

interface LiveConnection {
  ws: WebSocket;
  /** Set by the `fragment` action: the next message is echoed as this many frames. */
  fragmentNext?: number;
}

/** Live echo connections by session and connection id, for the API's actions. */
export class LiveConnections {
  private readonly byKey = new Map<string, LiveConnection>();

  static key(session: string, conn: string): string {
    return `${session}\u0000${conn}`;
  }

  add(session: string, conn: string, ws: WebSocket): string {
    const key = LiveConnections.key(session, conn);
    this.byKey.get(key)?.ws.terminate(); // a reused id replaces the old connection
    this.byKey.set(key, { ws });
    return key;
  }

  remove(key: string, ws: WebSocket): void {
    if (this.byKey.get(key)?.ws === ws) this.byKey.delete(key);
  }

  get(key: string): LiveConnection | undefined {
    return this.byKey.get(key);
  }

  get size(): number {
    return this.byKey.size;
  }

  terminateAll(): void {
    for (const { ws } of this.byKey.values()) ws.terminate();
    this.byKey.clear();
  }

  act(session: string, conn: string, action: EchoAction): ActionResult {
    const live = this.byKey.get(LiveConnections.key(session, conn));
    if (!live || live.ws.readyState !== live.ws.OPEN) {
      return { ok: false, status: 404, error: `connection ${conn} is not open on the echo server (it may have closed, or never upgraded)` };
    }
    switch (action.action) {
      case 'close': {
        const code = action.code ?? 1000;
        const reason = action.reason ?? '';
        if (!isValidWireCloseCode(code)) return { ok: false, status: 400, error: `${code} may not be sent in a close frame (RFC 6455 §7.4.1)` };
        if (Buffer.byteLength(reason) > 123) return { ok: false, status: 400, error: 'a close reason is at most 123 bytes of UTF-8 (RFC 6455 §5.5)' };
        live.ws.close(code, reason);
        return { ok: true };
      }
      case 'ping': {
        const payload = Buffer.from(action.payload ?? '');
        if (payload.length > 125) return { ok: false, status: 400, error: 'a ping payload is at most 125 bytes (RFC 6455 §5.5)' };
        live.ws.ping(payload);
        return { ok: true };
      }
      case 'fragment': {
        if (!Number.isInteger(action.count) || action.count < 1 || action.count > 1000) {
          return { ok: false, status: 400, error: 'fragment count must be a whole number from 1 to 1000' };
        }
        live.fragmentNext = action.count;
        return { ok: true };
      }
      case 'terminate':
        live.ws.terminate();
        return { ok: true };
    }
  }
}
