import type { AddressInfo, Server, Socket } from 'node:net';

export interface Listening {
  /** Binds, and resolves with the port in use (useful with port 0). */
  listen(): Promise<number>;
  /** Stops accepting and destroys every socket still open, so close never waits on a client. */
  close(): Promise<void>;
  /** Counts a socket the listener opened itself (an upstream), so close() ends it too. */
  track(socket: Socket): void;
}

/** The listen/close lifecycle every listener of the lab shares. */
export function listening(server: Server, host: string | undefined, port: number | undefined): Listening {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  server.on('connection', track);
  // Errors after listen() resolved have no caller to reject; without a listener they would crash the lab.
  server.on('error', () => {});
  return {
    track,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port ?? 0, host ?? '127.0.0.1', () => {
          server.removeListener('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
