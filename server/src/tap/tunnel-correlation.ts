// A TLS tunnel through the forward proxy is opaque to it: it cannot read which session and
// connection the WebSocket inside belongs to. The lab's own TLS listener at the far end can,
// once it has decrypted the request, and both hold the same TCP connection: the proxy's
// upstream socket's local port is the port the listener sees the connection come from. That
// port is where they meet, so the proxy's record (the CONNECT, the ClientHello, the byte
// counts) is filed under the connection the page opened, not guessed from timing.

/** Files a waiting tunnel's record under the connection the far end read. */
export type FileTunnel = (session: string, conn: string) => void;

/** Tunnels that may wait at once; the oldest is dropped beyond it (it files under default on its own). */
const MAX_WAITING = 1_000;

export class TunnelCorrelation {
  private readonly byPort = new Map<number, FileTunnel>();

  /** The proxy opened a TLS tunnel whose upstream socket has this local port. */
  expect(localPort: number | undefined, file: FileTunnel): void {
    if (localPort === undefined) return;
    this.byPort.delete(localPort);
    this.byPort.set(localPort, file);
    for (const old of this.byPort.keys()) {
      if (this.byPort.size <= MAX_WAITING) break;
      this.byPort.delete(old);
    }
  }

  /** The proxy filed the tunnel elsewhere (it waited long enough, or it closed). */
  forget(localPort: number | undefined, file: FileTunnel): void {
    if (localPort !== undefined && this.byPort.get(localPort) === file) this.byPort.delete(localPort);
  }

  /** A lab listener read a request on a connection from `remotePort` on loopback: the waiting tunnel, once. */
  claim(remotePort: number | undefined): FileTunnel | undefined {
    if (remotePort === undefined) return undefined;
    const file = this.byPort.get(remotePort);
    this.byPort.delete(remotePort);
    return file;
  }
}
