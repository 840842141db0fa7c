import type { AddressInfo, Server, Socket } from 'node:net';
import { isDescriptorExhaustion, type DescriptorGuard } from './descriptors.ts';
import { log } from './log.ts';

export interface ListeningOptions {
  /** How the listener is named in log lines: `echo server`, `forward proxy`. */
  name: string;
  host?: string;
  port?: number;
  /** When given, accepted and tracked sockets count against the shared descriptor pool. */
  guard?: DescriptorGuard;
}

export interface Listening {
  /** Binds, and resolves with the port in use (useful with port 0). */
  listen(): Promise<number>;
  /** Counts a socket the listener opened itself (an upstream), so close() ends it too. */
  track(socket: Socket): void;
  /** Every socket open now, accepted or tracked. */
  sockets(): ReadonlySet<Socket>;
  /** Stops accepting; connections already open carry on. */
  stopAccepting(): void;
  /** Stops accepting, waits up to `graceMs` for open sockets to close, then destroys the rest. */
  drain(graceMs: number): Promise<void>;
  /** Stops accepting and destroys every socket still open, so close never waits on a client. */
  close(): Promise<void>;
}

/**
 * The listen/close lifecycle every listener of the lab shares. `accept` gets each admitted
 * socket with an 'error' listener already on it; a socket the descriptor guard refuses is
 * destroyed before anyone sees it. Server errors are logged, never swallowed.
 */
export function listening(server: Server, options: ListeningOptions, accept?: (socket: Socket) => void): Listening {
  const { name, guard } = options;
  const open = new Set<Socket>();
  let waiters: (() => void)[] = [];
  const forget = (socket: Socket) => {
    open.delete(socket);
    if (open.size === 0) for (const wake of waiters.splice(0)) wake();
  };
  const track = (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => forget(socket));
    guard?.count(name, socket);
  };
  server.on('connection', (socket: Socket) => {
    // Owned from this moment: a reset before any handler runs must not become an uncaught error.
    socket.on('error', () => socket.destroy());
    if (guard && !guard.admit(name, socket)) return void socket.destroy();
    open.add(socket);
    socket.once('close', () => forget(socket));
    accept?.(socket);
  });
  let bound = false;
  server.on('error', (err: NodeJS.ErrnoException) => {
    // Before listen() resolves, its promise reports the error to the caller.
    if (!bound) return;
    if (isDescriptorExhaustion(err)) return guard ? guard.exhausted(name, err) : log(`${name}: ${err.code}: out of file descriptors`);
    log(`${name}: server error: ${err.code ?? ''} ${err.message}`);
  });
  let closed: Promise<void> | undefined;
  const stopAccepting = () => {
    closed ??= new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });
  };
  const drain = async (graceMs: number) => {
    stopAccepting();
    if (open.size > 0 && graceMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    for (const socket of open) socket.destroy();
    waiters = [];
    await closed;
  };
  return {
    track,
    sockets: () => open,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
          server.removeListener('error', reject);
          bound = true;
          resolve((server.address() as AddressInfo).port);
        });
      }),
    stopAccepting,
    drain,
    close: () => drain(0),
  };
}
