import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { logOnce } from './log.ts';

/**
 * File descriptors are the one resource a flood of idle connections exhausts: once the
 * process reaches `ulimit -n`, every accept fails (EMFILE), the API's included. The guard
 * keeps the listeners that face students (echo, proxies) below the limit by a reserve the
 * API and nginx's pipes always have, and caps each listener at a share of the pool, so a
 * flood on one port leaves the others serving.
 */
export interface DescriptorGuardOptions {
  /** The process's descriptor limit; read from /proc/self/limits when omitted. */
  limit?: number;
  /** Descriptors kept back for the API, logs and child processes. */
  reserve?: number;
  /** The most of the pool one listener may hold, 0 to 1. */
  share?: number;
}

/** How long a listener that hit EMFILE/ENFILE refuses new connections before trying again. */
export const BACKOFF_MS = 500;

export class DescriptorGuard {
  readonly limit: number;
  /** Sockets the guarded listeners may hold together. */
  readonly pool: number;
  private readonly perListener: number;
  private open = 0;
  private readonly byListener = new Map<string, number>();
  private backoffUntil = 0;

  constructor(options: DescriptorGuardOptions = {}) {
    this.limit = options.limit ?? openFileLimit();
    const reserve = options.reserve ?? Math.max(64, Math.floor(this.limit / 8));
    this.pool = Number.isFinite(this.limit) ? Math.max(16, this.limit - reserve) : Infinity;
    this.perListener = Number.isFinite(this.pool) ? Math.max(8, Math.floor(this.pool * (options.share ?? 0.6))) : Infinity;
  }

  /** Sockets held now by guarded listeners. */
  get inUse(): number {
    return this.open;
  }

  /**
   * Counts a socket a listener accepted; false (and the caller destroys it) when the pool,
   * the listener's share, or a backoff after EMFILE says no.
   */
  admit(listener: string, socket: Socket): boolean {
    const mine = this.byListener.get(listener) ?? 0;
    const full = this.open >= this.pool || mine >= this.perListener;
    if (full || Date.now() < this.backoffUntil) {
      logOnce(
        `full:${listener}`,
        `${listener}: refusing new connections for now: ${this.open} sockets are open, near this process's descriptor limit ` +
          `(ulimit -n ${this.limit}); the lab UI and API keep their reserve. Idle connections are closed by --head-timeout.`,
      );
      return false;
    }
    this.count(listener, socket);
    return true;
  }

  /** Counts a socket the lab opened itself (an upstream connection). */
  count(listener: string, socket: Socket): void {
    this.open += 1;
    this.byListener.set(listener, (this.byListener.get(listener) ?? 0) + 1);
    socket.once('close', () => {
      this.open -= 1;
      this.byListener.set(listener, (this.byListener.get(listener) ?? 1) - 1);
    });
  }

  /** A listener's accept failed for want of descriptors: say so once, and stop admitting briefly. */
  exhausted(listener: string, err: NodeJS.ErrnoException): void {
    this.backoffUntil = Date.now() + BACKOFF_MS;
    logOnce(
      'exhausted',
      `${listener}: ${err.code}: out of file descriptors (ulimit -n ${this.limit}); ${this.open} sockets open. ` +
        `New connections are refused for ${BACKOFF_MS} ms at a time until some close; raise the limit with ulimit -n.`,
    );
  }
}

/** The soft RLIMIT_NOFILE, from /proc/self/limits (Linux); Infinity where it cannot be read. */
export function openFileLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    const n = Number(soft);
    return Number.isFinite(n) && n > 0 ? n : Infinity;
  } catch {
    return Infinity;
  }
}

export function isDescriptorExhaustion(err: NodeJS.ErrnoException): boolean {
  return err.code === 'EMFILE' || err.code === 'ENFILE';
}
