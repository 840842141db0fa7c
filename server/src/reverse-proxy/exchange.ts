import type { Socket } from 'node:net';
import { connectUpstream, readyEvent } from '../upstream/upstreams.ts';
import type { Leg } from '../tap/leg.ts';
import { Tunnel } from '../tunnel.ts';
import { idleTimer } from '../flow.ts';
import { isDescriptorExhaustion } from '../descriptors.ts';
import { logOnce } from '../log.ts';
import { HeadReader, parseResponseHead, serializeRequestHead, type RequestHead, type ResponseHead } from '../wire/http-head.ts';
import { MessageBody } from '../wire/message-body.ts';
import { refusalBytes, statusForSocketError } from '../wire/refusal.ts';
import { LAB_SERVER, upstreamRequest, type Preset, type UpstreamInput } from './presets.ts';
import { relayRefusal, upgradeResponse } from './relay.ts';
import { isEncrypted } from '../tls/front.ts';

/** The most of a refusal's body the proxy buffers before relaying what it has. */
export const MAX_RELAYED_BODY = 1024 * 1024;

/** What every exchange of one proxy shares. */
export interface ExchangeSettings {
  upstream: { host: string; port: number };
  connectTimeoutMs: number;
  /** How long upstream may take to send its response head (proxy_read_timeout); then 504. */
  responseTimeoutMs: number;
  /** The port the browser connected to; set once the proxy listens. */
  listenPort: number;
  /** Counts an upstream socket with the listener, so closing the proxy ends it too. */
  track(socket: Socket): void;
  /** Who answers in the proxy's own refusals: `reverse proxy` unless set. */
  name?: string;
}

/** Where one exchange goes when it is not the proxy's own upstream: a server named with `--upstream`. */
export interface ExchangeTarget {
  host: string;
  port: number;
  /** The request target it receives (`proxy_pass http://host:port/;` replaces the location's prefix with `/`). */
  target: string;
  /** `wss`: reached over TLS (`proxy_pass https://`). */
  scheme?: 'ws' | 'wss';
}

/**
 * One proxied exchange, as small steps: connect upstream, send the preset's request, read
 * upstream's response head, then relay a refusal or tunnel the upgrade. Every failure on the
 * way answers the browser (502, 504) through one path and is recorded on both legs.
 */
export class Exchange {
  private readonly upstream: Socket;
  private readonly input: UpstreamInput;
  private readonly tunnel: Tunnel;
  /** The browser has its answer (a response head was written, or it left). */
  private answered = false;
  private tunnelled = false;
  private readonly where: string;
  private readonly name: string;

  constructor(
    private readonly settings: ExchangeSettings,
    private readonly client: Socket,
    head: RequestHead,
    private readonly preset: Preset,
    private readonly legs: { down?: Leg; up?: Leg },
    private readonly to?: ExchangeTarget,
  ) {
    this.name = settings.name ?? 'reverse proxy';
    const { host, port } = to ?? settings.upstream;
    this.where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    // TLS terminated here (`listen 443 ssl` + `proxy_pass http://`): the browser's port is the TLS one, and $scheme is https.
    const tls = isEncrypted(client);
    const listenPort = tls ? client.localPort ?? settings.listenPort : settings.listenPort;
    this.input = { ...head, clientAddress: plainAddress(client.remoteAddress), upstreamHost: this.where, listenPort, ...(tls ? { scheme: 'https' as const } : {}) };
    this.upstream = connectUpstream({ scheme: to?.scheme ?? 'ws', host, port });
    settings.track(this.upstream);
    this.upstream.setNoDelay(true);
    this.tunnel = new Tunnel({
      client,
      upstream: this.upstream,
      legs: { client: legs.down, upstream: legs.up },
      sendToClient: (bytes) => this.toClient(bytes),
      sendUpstream: (bytes) => {
        legs.up?.fromClient(bytes);
        if (!this.upstream.destroyed) this.upstream.write(bytes);
      },
      onClose: () => this.closeLegs(),
    });
    // Before the tunnel is whole, a browser that leaves takes the upstream connection with it.
    client.once('close', () => {
      if (!this.tunnelled) this.closeBoth();
    });
  }

  /** Step 1: connect; on connect, send the preset's request and start relaying the browser's bytes. */
  forward(rest: Buffer): void {
    const upstream = this.upstream;
    upstream.setTimeout(this.settings.connectTimeoutMs, () => upstream.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    upstream.on('error', (err: Error & { code?: string }) => this.upstreamFailed(err));
    upstream.once('close', () => {
      // Closed before a whole response head (no socket error): the browser must still get an answer.
      if (this.answered || this.client.destroyed) return;
      this.legs.down?.error('UPSTREAM_CLOSED', `upstream ${this.where} closed the connection before answering`, 'server-to-client');
      this.answer(502, `${this.name}: upstream ${this.where} closed the connection before sending a response (preset ${this.preset.name})`);
    });
    upstream.once(readyEvent({ scheme: this.to?.scheme ?? 'ws' }), () => {
      upstream.setTimeout(0);
      const outgoing = upstreamRequest(this.preset, this.input);
      if (this.to) outgoing.target = this.to.target;
      this.legs.up?.request(outgoing);
      upstream.write(serializeRequestHead(outgoing));
      // Bytes the browser sent after its head (frames sent before the 101) follow the request.
      if (rest.length > 0) {
        this.legs.down?.fromClient(rest);
        this.legs.up?.fromClient(rest);
        upstream.write(rest);
      }
      this.tunnel.relayClient();
      this.readResponseHead();
    });
  }

  /** Shutdown: 1001 both ways once upgraded; before that, the browser has no WebSocket to tell. */
  goAway(): void {
    if (this.legs.down?.upgraded) this.tunnel.goAway();
    else this.closeBoth();
  }

  /** Step 2: upstream's response head, within proxy_read_timeout. */
  private readResponseHead(): void {
    const upstream = this.upstream;
    const reader = new HeadReader();
    const timer = setTimeout(() => {
      upstream.removeListener('data', onData);
      const message = `upstream ${this.where} sent no response head within ${this.settings.responseTimeoutMs} ms (proxy_read_timeout)`;
      this.legs.up?.error('UPSTREAM_TIMEOUT', message, 'server-to-client');
      this.legs.down?.error('UPSTREAM_TIMEOUT', message, 'server-to-client');
      this.answer(504, `${this.name}: ${message}, for preset ${this.preset.name}`);
    }, this.settings.responseTimeoutMs);
    upstream.once('close', () => clearTimeout(timer));
    const onData = (chunk: Buffer) => {
      this.legs.up?.fromServer(chunk);
      let found;
      try {
        found = reader.push(chunk);
      } catch {
        upstream.removeListener('data', onData);
        clearTimeout(timer);
        return this.answer(502, `${this.name}: upstream ${this.where} sent a response head over the size limit`);
      }
      if (!found) return;
      upstream.removeListener('data', onData);
      clearTimeout(timer);
      let response: ResponseHead;
      try {
        response = parseResponseHead(found.head);
      } catch (err) {
        return this.answer(502, `${this.name}: upstream ${this.where} sent an invalid response: ${(err as Error).message}`);
      }
      if (response.status === 101) return this.upgrade(response, found.rest);
      this.relayRefusal(response, found.rest);
    };
    upstream.on('data', onData);
  }

  /** Step 3a: upstream refused: relay its answer as the preset's nginx would, then close. */
  private relayRefusal(response: ResponseHead, rest: Buffer): void {
    this.answered = true;
    const body = new MessageBody(response, MAX_RELAYED_BODY, (content) => {
      this.toClient(relayRefusal(this.preset, response, content, this.input));
      // nginx would keep the browser's connection for another request (its head says
      // keep-alive); a browser never reuses a connection whose upgrade failed, so the lab
      // closes it at once rather than hold a descriptor for keepalive_timeout.
      this.closeBoth();
    });
    this.upstream.on('data', (chunk: Buffer) => {
      this.legs.up?.fromServer(chunk);
      body.push(chunk);
    });
    this.upstream.once('end', () => body.end());
    this.upstream.once('close', () => body.end());
    // An upstream that stops mid-body must not hold the browser: relay what came (proxy_read_timeout).
    const idle = idleTimer([this.upstream], this.settings.responseTimeoutMs, () => body.end());
    this.upstream.once('close', () => idle.stop());
    body.push(rest);
  }

  /** Step 3b: upstream switched protocols: the preset's 101, then a tunnel both ways. */
  private upgrade(response: ResponseHead, rest: Buffer): void {
    this.answered = true;
    this.tunnelled = true;
    this.toClient(Buffer.from(upgradeResponse(this.preset, response, this.input), 'latin1'));
    if (rest.length > 0) {
      this.legs.down?.fromServer(rest);
      this.toClientRaw(rest);
    }
    this.tunnel.relayUpstream();
    const idle = this.preset.idleTimeoutMs;
    if (idle !== undefined) this.cutWhenIdle(idle);
  }

  /**
   * nginx re-arms proxy_read_timeout on traffic either way (ngx_http_upstream_process_upgraded),
   * and on expiry closes both connections without a close frame.
   */
  private cutWhenIdle(idle: number): void {
    const cut = () => {
      const message = `no data either way for ${idle} ms (proxy_read_timeout): the proxy closed both connections without a close frame, as nginx does`;
      this.legs.up?.error('PROXY_READ_TIMEOUT', message, 'server-to-client');
      this.legs.down?.error('PROXY_READ_TIMEOUT', message, 'server-to-client');
      this.closeBoth();
    };
    let timer = setTimeout(cut, idle);
    const rearm = () => {
      clearTimeout(timer);
      timer = setTimeout(cut, idle);
    };
    this.upstream.on('data', rearm);
    this.client.on('data', rearm);
    this.client.once('close', () => clearTimeout(timer));
  }

  private upstreamFailed(err: Error & { code?: string }): void {
    if (isDescriptorExhaustion(err)) logOnce('exhausted', `${this.name}: ${err.code}: out of file descriptors opening upstream connections; raise ulimit -n`);
    this.legs.up?.error(err.code ?? 'UPSTREAM_ERROR', `upstream ${this.where}: ${err.message}`, 'server-to-client');
    if (this.answered) return;
    const status = statusForSocketError(err.code);
    this.legs.down?.error(err.code ?? 'UPSTREAM_ERROR', `the ${this.name} could not reach upstream ${this.where}: ${err.code ?? err.message}`, 'server-to-client');
    this.answer(status, `${this.name}: upstream ${this.where} ${status === 504 ? 'timed out' : 'failed'} (${err.code ?? err.message}) for preset ${this.preset.name}`);
  }

  /** The proxy's own 502 or 504 (wire/refusal.ts), recorded on the browser's leg, then both sides closed. */
  private answer(status: number, reason: string): void {
    if (this.answered) return;
    this.answered = true;
    if (!this.client.destroyed) this.toClient(refusalBytes({ status, reason, headers: [['Server', LAB_SERVER], ['Date', new Date().toUTCString()]] }));
    this.closeBoth();
  }

  /** Everything the proxy itself writes to the browser goes through here, so the downstream leg sees it. */
  private toClient(bytes: Buffer): void {
    this.legs.down?.fromServer(bytes);
    this.toClientRaw(bytes);
  }

  private toClientRaw(bytes: Buffer): void {
    if (!this.client.destroyed) this.client.write(bytes);
  }

  private closeBoth(): void {
    this.answered = true;
    this.closeLegs();
    this.upstream.destroy();
    if (!this.client.destroyed) this.client.end(() => this.client.destroy());
  }

  private closeLegs(): void {
    this.legs.down?.end();
    this.legs.up?.end();
  }
}

/** `$remote_addr` as nginx writes it: an IPv4 client on a dual-stack socket without `::ffff:`. */
function plainAddress(address: string | undefined): string {
  return (address ?? '').replace(/^::ffff:/, '');
}
