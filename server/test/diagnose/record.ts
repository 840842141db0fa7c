// Records the transcripts the diagnose tests read: the real echo server and the bundled
// reverse proxy on loopback, driven by real clients (ws for the browser, raw sockets for what
// a browser would never send). What only a browser sees (open, error, CloseEvent) is posted to
// the store as the UI does, with the code Chromium reports: 1006 whenever the browser fails
// the connection itself, handshake failures included.
//
//   npx tsx server/test/diagnose/record.ts            every scenario
//   npx tsx server/test/diagnose/record.ts fault-      only those whose name contains "fault-"
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEchoServer } from '../../src/echo/server.ts';
import { createReverseProxy } from '../../src/reverse-proxy/server.ts';
import { createForwardProxy } from '../../src/forward-proxy/server.ts';
import { MemoryTranscriptStore } from '../../src/transcript/store.ts';
import { HandshakeCorrelation } from '../../src/tap/correlation.ts';
import type { Connection } from '../../src/transcript/types.ts';
import { IDLE_TIMEOUT_MS, type Lab, type Scenario } from './record-kit.ts';
import { DIRECT_SCENARIOS } from './scenarios-direct.ts';
import { PROXY_SCENARIOS } from './scenarios-proxy.ts';
import { REFUSAL_SCENARIOS } from './scenarios-refusals.ts';
import { ROUTE_SCENARIOS } from './scenarios-routes.ts';
import { CORPORATE_SCENARIOS, TLS_SCENARIOS } from './scenarios-corporate.ts';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const SCENARIOS: readonly Scenario[] = [...DIRECT_SCENARIOS, ...PROXY_SCENARIOS, ...REFUSAL_SCENARIOS, ...ROUTE_SCENARIOS, ...CORPORATE_SCENARIOS, ...TLS_SCENARIOS];
/** The head timeout of the record lab's short-timeout listeners: short, so recording stays quick. */
const SHORT_TIMEOUT_MS = 400;

/** Resolves once the connection has had no new event for `quietMs` (or after `maxMs`). */
async function settle(store: MemoryTranscriptStore, session: string, conn: string, quietMs = 300, maxMs = 8000): Promise<Connection | undefined> {
  const find = () => store.read(session)?.connections.find((c) => c.id === conn);
  const start = Date.now();
  let count = -1;
  let since = Date.now();
  for (;;) {
    const n = find()?.events.length ?? 0;
    if (n !== count) {
      count = n;
      since = Date.now();
    }
    if ((n > 0 && Date.now() - since >= quietMs) || Date.now() - start > maxMs) return find();
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Ports are random: fixtures name the lab's defaults instead. */
const port = (n: number) => new RegExp(`127\\.0\\.0\\.1:${n}(?!\\d)`, 'g');

async function main(): Promise<void> {
  const filter = process.argv[2];
  const store = new MemoryTranscriptStore();
  // As in the lab: the hops meet by Sec-WebSocket-Key, and the echo server learns its peer from it.
  const correlation = new HandshakeCorrelation();
  const echo = createEchoServer({ store, port: 0, correlation });
  const echoPort = await echo.listen();
  let lastEchoSocket: Socket | undefined;
  echo.server.on('connection', (s: Socket) => (lastEchoSocket = s));
  const proxy = createReverseProxy({ store, upstream: { host: '127.0.0.1', port: echoPort }, port: 0, idleTimeoutMs: IDLE_TIMEOUT_MS, correlation });
  const proxyPort = await proxy.listen();
  const dead = createServer();
  await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
  const deadPort = (dead.address() as AddressInfo).port;
  await new Promise<void>((r) => dead.close(() => r()));
  const deadProxy = createReverseProxy({ store, upstream: { host: '127.0.0.1', port: deadPort }, port: 0 });
  const deadProxyPort = await deadProxy.listen();
  const silent = createServer((socket) => socket.on('error', () => {}));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const short = { store, port: 0, headTimeoutMs: SHORT_TIMEOUT_MS };
  const shortProxy = createReverseProxy({ ...short, upstream: { host: '127.0.0.1', port: echoPort } });
  const silentProxy = createReverseProxy({ ...short, upstream: { host: '127.0.0.1', port: (silent.address() as AddressInfo).port } });
  const smallProxy = createReverseProxy({ store, port: 0, upstream: { host: '127.0.0.1', port: echoPort }, maxPayload: 1024 });
  const silentPort = (silent.address() as AddressInfo).port;
  const forward = createForwardProxy({
    ...short,
    correlation,
    allow: { labPorts: () => [echoPort, proxyPort], targets: [`127.0.0.1:${silentPort}`] },
    listenerAt: (p) => (p === proxyPort ? 'reverse-proxy' : p === echoPort ? 'echo' : undefined),
  });
  const presetProxy = (preset: 'tls-only' | 'connect-443-only') =>
    createForwardProxy({ store, port: 0, correlation, preset, allow: { labPorts: () => [echoPort, proxyPort] }, listenerAt: (p) => (p === echoPort ? 'echo' : undefined) });
  const extra = [shortProxy, silentProxy, smallProxy, forward, presetProxy('tls-only'), presetProxy('connect-443-only')];
  const [shortTimeoutProxyPort, silentUpstreamProxyPort, smallPayloadProxyPort, forwardProxyPort, tlsOnlyProxyPort, port443OnlyProxyPort] = await Promise.all(extra.map((l) => l.listen()));

  const lab: Lab = {
    store,
    session: store.createSession(),
    echoPort,
    proxyPort,
    deadProxyPort,
    closedPort: deadPort,
    shortTimeoutProxyPort: shortTimeoutProxyPort!,
    silentUpstreamProxyPort: silentUpstreamProxyPort!,
    smallPayloadProxyPort: smallPayloadProxyPort!,
    forwardProxyPort: forwardProxyPort!,
    silentPort,
    tlsOnlyProxyPort: tlsOnlyProxyPort!,
    port443OnlyProxyPort: port443OnlyProxyPort!,
    lastEchoSocket: () => lastEchoSocket,
    act: (session, conn, action) => echo.live.act(session, conn, action),
  };
  mkdirSync(FIXTURES, { recursive: true });
  try {
    for (const scenario of SCENARIOS) {
      if (filter && !scenario.name.includes(filter)) continue;
      const where = (await scenario.run(lab, scenario.name)) ?? { session: lab.session, conn: scenario.name };
      const connection = await settle(store, where.session, where.conn);
      if (!connection) throw new Error(`${scenario.name}: nothing was recorded`);
      // Session ids are random: keep fixtures stable and free of a live session's key.
      const text = JSON.stringify({ scenario: scenario.name, description: scenario.description, connection }, null, 2)
        .replaceAll(lab.session, 'recorded-session')
        .replace(port(echoPort), '127.0.0.1:8089')
        .replace(port(proxyPort), '127.0.0.1:8090')
        .replace(port(deadProxyPort), '127.0.0.1:8090')
        .replace(port(shortTimeoutProxyPort!), '127.0.0.1:8090')
        .replace(port(silentUpstreamProxyPort!), '127.0.0.1:8090')
        .replace(port(smallPayloadProxyPort!), '127.0.0.1:8090')
        .replace(port(forwardProxyPort!), '127.0.0.1:3128')
        .replace(port(tlsOnlyProxyPort!), '127.0.0.1:3130')
        .replace(port(port443OnlyProxyPort!), '127.0.0.1:3129')
        .replace(port(silentPort), '127.0.0.1:9999');
      writeFileSync(join(FIXTURES, `${scenario.name}.json`), `${text}\n`);
      console.log(`${scenario.name}: ${connection.events.length} events`);
    }
  } finally {
    await Promise.all([echo.close(), proxy.close(), deadProxy.close(), ...extra.map((l) => l.close())]);
    await new Promise((r) => silent.close(r));
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
