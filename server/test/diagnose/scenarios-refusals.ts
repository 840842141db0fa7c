// Scenarios where a hop refuses or times out on its own account: a head too slow, too large or
// unreadable, a client that leaves mid-head, a CONNECT target outside the allowlist, an
// upstream that never answers, a message over the max payload, an opaque tunnel left idle.
// The listeners with short timeouts and small limits are the record lab's (record.ts).
import { DEFAULT_SESSION } from '../../src/transcript/types.ts';
import { browserSocket, rawClient, upgradeRequest, type Lab, type Scenario } from './record-kit.ts';

/** The connection a scenario's raw client left in the default session (CONNECT names no session). */
async function newInDefault(lab: Lab, drive: () => Promise<unknown>): Promise<{ session: string; conn: string }> {
  const before = new Set(lab.store.read(DEFAULT_SESSION)?.connections.map((c) => c.id));
  await drive();
  const conn = lab.store.read(DEFAULT_SESSION)?.connections.find((c) => !before.has(c.id))?.id;
  if (!conn) throw new Error('nothing was recorded in the default session');
  return { session: DEFAULT_SESSION, conn };
}

const proxyTarget = (lab: Lab, conn: string, preset = 'nginx-websocket') => `/${preset}/echo?lab=${lab.session}&conn=${conn}`;

export const REFUSAL_SCENARIOS: readonly Scenario[] = [
  {
    name: 'head-timeout-proxy',
    description: 'a client sends the request line, then one header byte at a time (slowloris): 408 at the head timeout',
    run: async (lab, conn) => {
      const head = upgradeRequest(proxyTarget(lab, conn), `127.0.0.1:${lab.shortTimeoutProxyPort}`);
      const lineEnd = head.indexOf('\r\n') + 2;
      await rawClient(lab.shortTimeoutProxyPort, head.slice(0, lineEnd), (_received, socket) => {
        // Never reached: the proxy closes first; the drip below is what it sees.
        return socket.destroyed;
      }, (socket) => {
        let i = lineEnd;
        const drip = setInterval(() => (i < head.length - 2 && !socket.destroyed ? socket.write(head[i++]!) : clearInterval(drip)), 50);
        socket.once('close', () => clearInterval(drip));
      });
    },
  },
  {
    name: 'client-aborted-head',
    description: 'a client sends half a request head to the echo server and closes the connection',
    run: async (lab, conn) => {
      const head = upgradeRequest(`/echo?lab=${lab.session}&conn=${conn}`, `127.0.0.1:${lab.echoPort}`);
      await rawClient(lab.echoPort, head.slice(0, head.indexOf('\r\n') + 12), (_r, socket) => socket.destroyed, (socket) => setTimeout(() => socket.end(), 50));
    },
  },
  {
    name: 'proxy-head-too-large',
    description: 'a 20 kB header through the reverse proxy: 431, filed under the session its request line names',
    run: async (lab, conn) => {
      await rawClient(lab.proxyPort, upgradeRequest(proxyTarget(lab, conn), `127.0.0.1:${lab.proxyPort}`, { extra: [`X-Filler: ${'a'.repeat(20_000)}`] }));
    },
  },
  {
    name: 'proxy-nul-in-header',
    description: 'a NUL byte in a header value through the reverse proxy: 400, as nginx answers',
    run: async (lab, conn) => {
      await rawClient(lab.proxyPort, upgradeRequest(proxyTarget(lab, conn), `127.0.0.1:${lab.proxyPort}`, { extra: ['X-Note: a\0b'] }));
    },
  },
  {
    name: 'forward-proxy-not-allowed',
    description: 'CONNECT to a loopback port that is not one of the lab\'s listeners: 403, filed under the default session',
    run: (lab) =>
      newInDefault(lab, () => rawClient(lab.forwardProxyPort, `CONNECT 127.0.0.1:6379 HTTP/1.1\r\nHost: 127.0.0.1:6379\r\n\r\n`)),
  },
  {
    name: 'upstream-timeout',
    description: 'the reverse proxy\'s upstream accepts but never answers: 504 at the timeout',
    run: async (lab, conn) => {
      await rawClient(lab.silentUpstreamProxyPort, upgradeRequest(proxyTarget(lab, conn), `127.0.0.1:${lab.silentUpstreamProxyPort}`));
    },
  },
  {
    name: 'proxy-message-too-big',
    description: 'a 4 KiB message through a reverse proxy whose max payload is 1 KiB: it closes the browser with 1009',
    run: (lab, conn) =>
      browserSocket(lab, conn, `ws://127.0.0.1:${lab.smallPayloadProxyPort}${proxyTarget(lab, conn)}`, {
        route: 'reverse-proxy',
        onOpen: (ws) => ws.send(Buffer.alloc(4096, 0x61)),
      }),
  },
  {
    name: 'forward-proxy-opaque-idle',
    description: 'a TLS ClientHello-like prefix inside a CONNECT tunnel to a server that never answers: relayed unread, closed when idle',
    run: (lab) =>
      newInDefault(lab, () =>
        rawClient(
          lab.forwardProxyPort,
          `CONNECT 127.0.0.1:${lab.silentPort} HTTP/1.1\r\nHost: 127.0.0.1:${lab.silentPort}\r\n\r\n`,
          (_r, socket) => socket.destroyed,
          (socket) => socket.once('data', () => socket.write(Buffer.from('160301002a0100002603036f70617175652068656c6c6f', 'hex'))),
        ),
      ),
  },
];
