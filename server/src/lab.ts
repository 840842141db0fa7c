import type { Server } from 'node:net';
import type { Party, Route } from './transcript/types.ts';
import { fileURLToPath } from 'node:url';
import { describeListeners } from './lab-listeners.ts';
import { createApiServer } from './api/server.ts';
import { DescriptorGuard } from './descriptors.ts';
import { createEchoServer, DEFAULT_MAX_PAYLOAD } from './echo/server.ts';
import { DEFAULT_HEAD_TIMEOUT_MS } from './flow.ts';
import { createForwardProxy } from './forward-proxy/server.ts';
import type { LabCertificate } from './tls/certificate.ts';
import { createTlsFront } from './tls/front.ts';
import { createH2Listener } from './h2/server.ts';
import { FORWARD_PROXY_PRESETS, type ForwardProxyPresetName } from './forward-proxy/presets.ts';
import { createReverseProxy, presetInfo } from './reverse-proxy/server.ts';
import { createPresets } from './reverse-proxy/presets.ts';
import { join } from 'node:path';
import { startNginx } from './nginx/process.ts';
import { createNginxTap } from './nginx/tap.ts';
import { HandshakeCorrelation } from './tap/correlation.ts';
import { TunnelCorrelation } from './tap/tunnel-correlation.ts';
import { faultInfo } from './echo/faults.ts';
import type { MemoryTranscriptStore, StoreLimits } from './transcript/store.ts';
import { createStore, type SessionsOnDisk } from './persist/index.ts';
import { DEFAULT_MAX_CAPTURE } from './tap/leg.ts';
import type { LabInfo, NginxInfo, PortInfo, PresetInfo } from './api/types.ts';
import { createNginxConfigsApi } from './api/nginx-configs.ts';
import { NginxConfigs } from './nginx-config/registry.ts';
import { nginxTapRoutes } from './nginx/tap-routes.ts';
import { startUpstreamRelays, upstreamInfo } from './upstream/lab-upstreams.ts';
import type { NamedUpstream } from './upstream/upstreams.ts';

export interface LabOptions {
  host: string;
  uiPort: number;
  echoPort: number;
  /** Omit to run without the reverse proxy. */
  proxyPort?: number;
  /** `proxy_read_timeout` of the nginx-idle-timeout preset. */
  idleTimeoutMs?: number;
  /** Real nginx with every preset; omit to run without it. */
  nginxPort?: number;
  /** `--nginx`: the nginx binary; else found on PATH. */
  nginxPath?: string;
  /** Omit to run without a forward proxy. */
  forwardProxyPort?: number;
  /** Forward-proxy presets to run, each on its own port (0 picks one); only with `forwardProxyPort`. */
  forwardProxyPresetPorts?: Partial<Record<ForwardProxyPresetName, number>>;
  /** `--forward-proxy-allow`: `host:port` targets the forward proxy may tunnel to besides the lab's own listeners. */
  forwardProxyAllow?: readonly string[];
  /** `--allowed-host`: more names the API answers to (a DNS name students type). */
  allowedHosts?: readonly string[];
  /** `--head-timeout`: client_header_timeout of every listener, in ms. */
  headTimeoutMs?: number;
  /** `--max-payload`: the largest message the echo server and proxies accept. */
  maxPayload?: number;
  /** `--upstream`: the user's own servers, reached at `/upstream/<name>/…` on the proxy and nginx ports. */
  upstreams?: NamedUpstream[];
  /** `--allow-remote-configs`: take pasted nginx configs from other machines too. */
  allowRemoteConfigs?: boolean;
  /** Pasted nginx configs that may run at once (`--max-nginx-configs`). */
  maxNginxConfigs?: number;
  staticDir?: string;
  maxCapture?: number;
  /** Store limits; `captureBudget` is `--capture-budget`. */
  limits?: Partial<StoreLimits>;
  /**
   * TLS listeners with this certificate: wss:// to the echo server (`echoPort`), to the reverse
   * proxy terminating TLS (`proxyPort`), and the UI over HTTPS (`uiPort`); 0 picks a free port.
   */
  tls?: { certificate: LabCertificate; echoPort?: number; proxyPort?: number; uiPort?: number; h2Port?: number; h2NoConnectPort?: number };
  /** Descriptor limits (tests); by default read from the process's `ulimit -n`. */
  guard?: DescriptorGuard;
  /** `--data-dir`: keep sessions in `<dataDir>/sessions.sqlite` across restarts; omit (`--ephemeral`) to keep nothing. */
  dataDir?: string;
}

export interface Listener {
  name: string;
  url: string;
}

export interface Lab {
  store: MemoryTranscriptStore;
  /** Where the sessions are kept (`--data-dir`), or why in memory only. */
  sessions: SessionsOnDisk;
  ports: PortInfo;
  listeners: Listener[];
  /** Where the forward proxy may tunnel, in words, for the startup notice. */
  forwardProxyTargets(): string[];
  info(): LabInfo;
  /**
   * Stops the lab. With `graceMs` (Ctrl-C), every open WebSocket on every hop the lab owns is
   * first sent a close frame 1001 (going away) and given that long to close, then real nginx
   * is stopped and its folder removed.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

interface Stoppable {
  close(options?: { graceMs?: number }): Promise<void>;
}

/** Starts every listener of the lab in this process; each is its own module, startable alone. */
export async function startLab(options: LabOptions): Promise<Lab> {
  const { store, sessions, close: closeSessions } = createStore(options.limits, options.dataDir);
  const maxCapture = options.maxCapture ?? DEFAULT_MAX_CAPTURE;
  const headTimeoutMs = options.headTimeoutMs ?? DEFAULT_HEAD_TIMEOUT_MS;
  const maxPayload = options.maxPayload ?? DEFAULT_MAX_PAYLOAD;
  const guard = options.guard ?? new DescriptorGuard();
  const shared = { store, host: options.host, maxCapture, headTimeoutMs, maxPayload, guard };
  const correlation = new HandshakeCorrelation();
  const tunnels = new TunnelCorrelation();
  const echo = createEchoServer({ ...shared, port: options.echoPort, correlation, tunnels });
  const ports: PortInfo = { ui: 0, echo: await echo.listen() };
  // Stopped in this order: the hops that relay first, so their browsers hear 1001 from them.
  const hops: Stoppable[] = [];
  // Then what runs behind them: upstream relays, nginx, pasted configs' nginx.
  const stoppers: (() => Promise<void>)[] = [];
  let presets: PresetInfo[] = [];
  let nginx: NginxInfo = { available: false, reason: 'real nginx was not asked for (start the lab with --nginx-port)' };
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const upstreams = options.upstreams ?? [];
  let configs: NginxConfigs | undefined;
  const labPorts = () => [ports.echo, ports.proxy, ports.nginx, ports.echoTls, ports.proxyTls].filter((p): p is number => p !== undefined);
  const tlsPorts = () => [ports.echoTls, ports.proxyTls].filter((p): p is number => p !== undefined);
  const tls = options.tls;
  /** A TLS listener in front of a plain one (tls/front.ts), stopped with the hops. */
  const tlsFront = async (name: string, into: Server, port: number | undefined, record?: { observer: Party; route: Route }) => {
    if (!tls || port === undefined) return undefined;
    const front = createTlsFront({ name, certificate: tls.certificate, into, host: options.host, port, handshakeTimeoutMs: headTimeoutMs, guard, ...(record ? { record: { store, ...record } } : {}) });
    const bound = await front.listen();
    hops.push(front);
    return bound;
  };
  const closeAll = async (graceMs: number) => {
    await Promise.all([...hops, echo].map((h) => h.close({ graceMs })));
    for (const stop of stoppers.splice(0).reverse()) await stop();
  };
  try {
    const echoTls = await tlsFront('echo server (TLS)', echo.server, tls?.echoPort, { observer: 'echo', route: 'direct' });
    if (echoTls !== undefined) ports.echoTls = echoTls;
    if (options.proxyPort !== undefined) {
      const proxy = createReverseProxy({
        ...shared,
        port: options.proxyPort,
        upstream: { host: options.host, port: ports.echo },
        upstreams,
        correlation,
        tunnels,
        ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs }),
      });
      ports.proxy = await proxy.listen();
      const proxyTls = await tlsFront('reverse proxy (TLS)', proxy.server, tls?.proxyPort, { observer: 'reverse-proxy', route: 'reverse-proxy' });
      if (proxyTls !== undefined) ports.proxyTls = proxyTls;
      presets = presetInfo(proxy.presets, `${host}:${ports.echo}`);
      hops.push(proxy);
    }
    if (options.nginxPort !== undefined) {
      const presetsForNginx = createPresets(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs });
      try {
        // Real nginx reaches each --upstream through a relay of the lab's that records its leg.
        const relays = await startUpstreamRelays({ store, upstreams, correlation, maxCapture });
        stoppers.push(() => relays.close());
        // nginx listens on a loopback port of its own; the lab's tap takes the nginx port and relays to it.
        const running = await startNginx({
          listenPort: 0,
          listenHost: '127.0.0.1',
          upstreamPort: ports.echo,
          presets: presetsForNginx,
          upstreams: [...relays.byName.values()].map(({ upstream, port }) => ({ name: upstream.name, relayPort: port })),
          ...(options.nginxPath === undefined ? {} : { nginxPath: options.nginxPath }),
        });
        stoppers.push(() => running.stop());
        const pasted = new NginxConfigs({
          echoPort: ports.echo, relays: relays.byName, publicHost: options.host, nginxPort: () => ports.nginx,
          ...(options.nginxPath === undefined ? {} : { nginxPath: options.nginxPath }),
          ...(options.maxNginxConfigs === undefined ? {} : { maxRunning: options.maxNginxConfigs }),
        });
        configs = pasted;
        stoppers.push(() => pasted.close());
        const tap = createNginxTap({
          ...shared, port: options.nginxPort, nginx: { host: '127.0.0.1', port: running.port },
          presets: presetsForNginx, errorLogPath: join(running.dir, 'error.log'), correlation,
          route: nginxTapRoutes({ configs: pasted, upstreams, presets: presetsForNginx }),
        });
        ports.nginx = await tap.listen().catch(async (err: unknown) => {
          await running.stop();
          throw err;
        });
        hops.push(tap);
        nginx = { available: true, version: running.version };
        void running.exited.then(({ code, signal }) => {
          if (!nginx.available) return;
          nginx = { available: false, reason: `nginx exited (${signal ?? `code ${code}`}): ${running.errorLog().split('\n').at(-1) ?? ''}` };
          delete ports.nginx;
        });
      } catch (err) {
        nginx = { available: false, reason: (err as Error).message };
      }
    }
    if (options.forwardProxyPort !== undefined) {
      const forwardProxy = {
        ...shared,
        allow: { labPorts, targets: options.forwardProxyAllow ?? [], boundHost: options.host },
        listenerAt: (port: number) => (port === ports.proxy ? 'reverse-proxy' : port === ports.nginx ? 'nginx' : port === ports.echo ? 'echo' : undefined),
        correlation,
        tunnels,
        tlsPorts,
      } as const;
      const forward = createForwardProxy({ ...forwardProxy, port: options.forwardProxyPort });
      ports.forwardProxy = await forward.listen();
      hops.push(forward);
      // Each corporate proxy's behaviour on a port of its own: a CONNECT names no path to choose by.
      for (const [preset, port] of Object.entries(options.forwardProxyPresetPorts ?? {}) as [ForwardProxyPresetName, number][]) {
        const presetProxy = createForwardProxy({ ...forwardProxy, port, preset });
        (ports.forwardProxyPresets ??= {})[preset] = await presetProxy.listen();
        hops.push(presetProxy);
      }
    }
  } catch (err) {
    await closeAll(0);
    await closeSessions();
    throw err;
  }
  const info = (): LabInfo => ({
    name: 'WebSocket Upgrade Lab',
    host: options.host,
    ports,
    faults: faultInfo(),
    presets,
    ...(tls ? { tls: { spki: tls.certificate.spki, certPath: tls.certificate.certPath, generated: tls.certificate.generated, names: tls.certificate.names, validTo: tls.certificate.validTo } } : {}),
    forwardProxyPresets: FORWARD_PROXY_PRESETS.flatMap(({ name, description, config }) => {
      const port = ports.forwardProxyPresets?.[name];
      return port === undefined ? [] : [{ name, description, config, port }];
    }),
    nginx,
    upstreams: upstreamInfo(upstreams),
    nginxConfigs: {
      available: configs !== undefined && nginx.available,
      ...(configs !== undefined && nginx.available ? {} : { reason: nginx.reason ?? 'real nginx is not running in this lab' }),
      maxRunning: configs?.maxRunning ?? 0,
      remoteAllowed: options.allowRemoteConfigs ?? false,
    },
    limits: {
      maxEvents: store.limits.maxEvents,
      maxPayloadBytes: store.limits.maxPayloadBytes,
      maxCaptureBytes: maxCapture,
      captureBudget: store.limits.captureBudget,
      maxPayload,
      headTimeoutMs,
    },
  });
  const api = createApiServer({
    store,
    info,
    act: (session, conn, action) => echo.live.act(session, conn, action),
    staticDir: options.staticDir ?? DEFAULT_STATIC_DIR,
    host: options.host,
    port: options.uiPort,
    allowedHosts: options.allowedHosts ?? [],
    headTimeoutMs,
    importLimits: store.limits,
    listenerPorts: () => [...labPorts(), ...(ports.forwardProxy === undefined ? [] : [ports.forwardProxy]), ...Object.values(ports.forwardProxyPresets ?? {})],
    alsoPorts: () => [ports.uiTls, ports.h2, ports.h2NoConnect].filter((p): p is number => p !== undefined),
    nginxConfigs: createNginxConfigsApi({ store, allowRemote: options.allowRemoteConfigs ?? false, ...(configs && nginx.available ? { configs } : { unavailable: nginx.reason ?? 'start the lab with --nginx-port' }) }),
  });
  try {
    ports.ui = await api.listen();
    const uiTls = await tlsFront('lab UI + API (HTTPS)', api.server, tls?.uiPort);
    if (uiTls !== undefined) ports.uiTls = uiTls;
    // The page, the API and WebSockets as extended CONNECT streams, over HTTP/2 (RFC 8441); and the
    // same without SETTINGS_ENABLE_CONNECT_PROTOCOL, where Chromium's WebSockets fall back to HTTP/1.1.
    for (const [key, port, enableConnectProtocol] of [['h2', tls?.h2Port, true], ['h2NoConnect', tls?.h2NoConnectPort, false]] as const) {
      if (!tls || port === undefined) continue;
      const h2 = createH2Listener({ store, live: echo.live, maxCapture, maxPayload, certificate: tls.certificate, api: api.handle, echo: echo.server, host: options.host, port, guard, enableConnectProtocol });
      ports[key] = await h2.listen();
      hops.push(h2);
    }
  } catch (err) {
    await closeAll(0);
    await closeSessions();
    throw err;
  }
  const listeners = describeListeners(ports, host, { presets: presets.length, nginx, nginxAsked: options.nginxPort !== undefined, upstreams });
  return {
    store,
    sessions,
    ports,
    listeners,
    forwardProxyTargets: () => [`the lab's own listeners on this machine (ports ${labPorts().join(', ')})`, ...(options.forwardProxyAllow ?? [])],
    info,
    close: async ({ graceMs = 0 } = {}) => {
      await closeAll(graceMs);
      await api.close();
      // Last: what the hops recorded while closing (their 1001s) is saved too.
      await closeSessions();
    },
  };
}
