import type { Socket } from 'node:net';
import { relayChunk } from './flow.ts';
import type { Direction, Leg } from './tap/leg.ts';
import { closeFrame } from './wire/close-payload.ts';

export interface TunnelOptions {
  /** The socket towards the browser. */
  client: Socket;
  /** The socket towards the next hop. */
  upstream: Socket;
  /**
   * The legs watching each socket: `client` sees what the browser sends and what reaches it,
   * `upstream` what the next hop sends and what reaches it (one leg may watch both, for a
   * transparent tunnel). The leg a chunk arrives on sees it whole and decides where frames
   * begin and end and which message is over the max payload; the other sees only what is
   * relayed.
   */
  legs: { client?: Leg | undefined; upstream?: Leg | undefined };
  /** Writes the proxy's own bytes to the browser, so the leg watching that socket records them. */
  sendToClient(bytes: Buffer): void;
  /** Writes the proxy's own bytes upstream, likewise. */
  sendUpstream(bytes: Buffer): void;
  /** Both sockets are gone. */
  onClose(): void;
}

/** How long a side that was sent a close frame has to answer before its socket is destroyed. */
export const CLOSE_GRACE_MS = 1000;

/**
 * The two sockets of a proxied WebSocket, relayed with backpressure and watched by legs.
 * Because the legs decode frames, the proxy can act like a WebSocket endpoint when it must:
 * close a sender whose message is over the max payload with 1009, and send 1001 (going
 * away) both ways at shutdown — each close frame written only where a frame boundary lets
 * it in, never inside a frame being relayed.
 */
export class Tunnel {
  private closing = false;
  private closed = false;

  constructor(private readonly o: TunnelOptions) {}

  /** Starts relaying what the browser sends (a proxy may do so before upstream has answered). */
  relayClient(): void {
    this.o.client.on('data', (chunk: Buffer) => this.relay('client-to-server', chunk));
    this.o.client.resume();
  }

  /** Starts relaying what the next hop sends: from here on the tunnel is whole, and ends as one. */
  relayUpstream(): void {
    const { client, upstream } = this.o;
    // Either side ending ends the tunnel: half-open tunnels would leak descriptors.
    const teardown = () => {
      if (this.closed) return;
      this.closed = true;
      client.destroy();
      upstream.destroy();
      this.o.onClose();
    };
    client.once('close', teardown);
    upstream.once('close', teardown);
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    if (client.destroyed || upstream.destroyed) teardown();
    upstream.on('data', (chunk: Buffer) => this.relay('server-to-client', chunk));
    upstream.resume();
  }

  /** Sends 1001 (going away) each way a frame boundary allows, then ends both sockets. */
  goAway(reason = 'going away'): void {
    const { client, upstream } = this.o.legs;
    if (!client?.upgraded) return this.end();
    this.closeWith(
      client.atFrameBoundary('server-to-client') ? [1001, reason] : undefined,
      upstream?.atFrameBoundary('client-to-server') ? [1001, reason] : undefined,
    );
  }

  private relay(direction: Direction, chunk: Buffer): void {
    const toServer = direction === 'client-to-server';
    const arriving = toServer ? this.o.legs.client : this.o.legs.upstream;
    const departing = toServer ? this.o.legs.upstream : this.o.legs.client;
    const feed = (leg: Leg | undefined, bytes: Buffer) => (toServer ? leg?.fromClient(bytes) : leg?.fromServer(bytes));
    feed(arriving, chunk);
    // Once the proxy closed, a peer's answer (its close frame) is recorded but goes no further.
    if (this.closing) return;
    const [from, to] = toServer ? [this.o.client, this.o.upstream] : [this.o.upstream, this.o.client];
    const over = arriving?.overLimit(direction);
    // Relay up to the frame that carries the message over the limit, and not a byte of it.
    const relayed = over ? chunk.subarray(0, Math.max(0, over.frameStart - (arriving!.frameBytes(direction) - chunk.length))) : chunk;
    if (departing !== arriving) feed(departing, relayed);
    relayChunk(from, to, relayed);
    if (!over) return;
    const opposite: Direction = toServer ? 'server-to-client' : 'client-to-server';
    const sender = toServer ? this.o.legs.client : this.o.legs.upstream;
    const receiver = departing === arriving ? undefined : departing;
    const toSender: [number, string] | undefined = sender?.atFrameBoundary(opposite) ? [1009, 'message too big'] : undefined;
    // The receiver gets a close frame only where its stream is between frames.
    const toReceiver: [number, string] | undefined = receiver?.atFrameBoundary(direction) ? [1001, 'going away'] : undefined;
    if (toServer) this.closeWith(toSender, toReceiver);
    else this.closeWith(toReceiver, toSender);
  }

  /** Writes the given close frames (to the browser unmasked, upstream masked), stops relaying, ends both. */
  private closeWith(toClient: [number, string] | undefined, toUpstream: [number, string] | undefined): void {
    if (this.closing) return;
    this.closing = true;
    if (toClient && this.o.client.writable) this.o.sendToClient(closeFrame(toClient[0], toClient[1], false));
    if (toUpstream && this.o.upstream.writable) this.o.sendUpstream(closeFrame(toUpstream[0], toUpstream[1], true));
    this.end();
  }

  private end(): void {
    this.closing = true;
    // A FIN after the close frame; the peer may still answer with its own close before the grace runs out.
    this.o.client.end();
    this.o.upstream.end();
    const timer = setTimeout(() => {
      this.o.client.destroy();
      this.o.upstream.destroy();
    }, CLOSE_GRACE_MS);
    timer.unref();
  }
}
