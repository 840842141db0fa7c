// Scenarios through the bundled reverse proxy (server/src/reverse-proxy), one per preset that
// teaches something, plus an unreachable upstream. The browser is a ws client offering what
// Chrome offers; hop-by-hop headers a browser would never send come from a raw client.
import { browserSocket, IDLE_TIMEOUT_MS, maskedFrame, rawClient, upgradeRequest, type Lab, type Scenario } from './record-kit.ts';

const proxyUrl = (lab: Lab, preset: string, conn: string, query = '', port = lab.proxyPort) =>
  `ws://127.0.0.1:${port}/${preset}/echo?lab=${lab.session}&conn=${conn}${query}`;

/** The browser opens a socket through a preset, sends one message and closes once it is echoed. */
function through(name: string, preset: string, description: string, options: { query?: string; origin?: (lab: Lab) => string; headers?: Record<string, string>; port?: (lab: Lab) => number } = {}): Scenario {
  return {
    name,
    description,
    run: (lab, conn) =>
      browserSocket(lab, conn, proxyUrl(lab, preset, conn, options.query, options.port?.(lab)), {
        route: 'reverse-proxy',
        ...(options.origin ? { origin: options.origin(lab) } : {}),
        ...(options.headers ? { headers: options.headers } : {}),
        onOpen: (ws) => {
          ws.once('message', () => ws.close(1000, 'done'));
          ws.send('hello');
        },
      }),
  };
}

/** A raw client sends hop-by-hop headers through a preset, upgrades, then closes cleanly. */
function hopByHop(name: string, preset: string, description: string): Scenario {
  return {
    name,
    description,
    run: async (lab, conn) => {
      const request = upgradeRequest(`/${preset}/echo?lab=${lab.session}&conn=${conn}`, `127.0.0.1:${lab.proxyPort}`, {
        omit: ['connection'],
        extra: ['Connection: Upgrade, X-Trace', 'X-Trace: 7f3a', 'Proxy-Connection: keep-alive', 'Keep-Alive: timeout=5', 'TE: trailers'],
      });
      let sent = false;
      await rawClient(lab.proxyPort, request, (received, socket) => {
        if (!sent && received.includes('\r\n\r\n')) {
          sent = true;
          socket.write(maskedFrame(0x88, Buffer.from('03e8', 'hex')));
        }
        const rest = received.subarray(received.indexOf('\r\n\r\n') + 4);
        return rest.length > 0 && (rest[0]! & 0x0f) === 0x8;
      });
    },
  };
}

export const PROXY_SCENARIOS: Scenario[] = [
  through('proxy-nginx-websocket', 'nginx-websocket', 'the nginx WebSocket recipe: 101, one message echoed, closed with 1000'),
  through('proxy-nginx-default', 'nginx-default', 'proxy_pass alone: HTTP/1.0, Connection: close, no Upgrade upstream: 426'),
  through('proxy-nginx-missing-connection', 'nginx-missing-connection', 'Upgrade re-created but Connection: close upstream: 426'),
  through('proxy-nginx-seed', 'nginx-seed', 'HTTP/1.0 upstream with Upgrade: ws upgrades it anyway'),
  through('proxy-nginx-seed-strict', 'nginx-seed', 'HTTP/1.0 upstream to a strict echo server: 400', { query: '&strict=1' }),
  through('proxy-nginx-forwarded', 'nginx-forwarded', 'Host $host, X-Forwarded-For appended to the client\'s 10.1.2.3: 101', {
    headers: { 'X-Forwarded-For': '10.1.2.3' },
  }),
  through('proxy-nginx-forwarded-origin', 'nginx-forwarded', 'a page served on the proxy\'s host:port, origin=same-host: $host drops the port, 403', {
    query: '&origin=same-host',
    origin: (lab) => `http://127.0.0.1:${lab.proxyPort}`,
  }),
  {
    name: 'proxy-nginx-idle-timeout',
    description: `proxy_read_timeout ${IDLE_TIMEOUT_MS} ms: one message, then silence; the proxy cuts both legs, the browser sees 1006`,
    run: (lab, conn) =>
      browserSocket(lab, conn, proxyUrl(lab, 'nginx-idle-timeout', conn), { route: 'reverse-proxy', onOpen: (ws) => ws.send('hello') }),
  },
  {
    name: 'proxy-nginx-idle-heartbeat',
    description: `proxy_read_timeout ${IDLE_TIMEOUT_MS} ms with heartbeat=500: pings keep it open for 2.5 s, then the browser closes with 1000`,
    run: (lab, conn) =>
      browserSocket(lab, conn, proxyUrl(lab, 'nginx-idle-timeout', conn, '&heartbeat=500'), {
        route: 'reverse-proxy',
        onOpen: (ws) => void setTimeout(() => ws.close(1000, 'done'), IDLE_TIMEOUT_MS + 1000),
      }),
  },
  {
    name: 'proxy-close-without-frame',
    description: 'the echo server drops TCP 200 ms after the 101 (fault), through the nginx WebSocket recipe',
    run: (lab, conn) => browserSocket(lab, conn, proxyUrl(lab, 'nginx-websocket', conn, '&fault=close-without-frame'), { route: 'reverse-proxy' }),
  },
  hopByHop('proxy-hop-by-hop-nginx', 'nginx-websocket', 'a raw client sends Proxy-Connection, Keep-Alive, TE and X-Trace named in Connection; nginx forwards some'),
  hopByHop('proxy-hop-by-hop-strict', 'rfc9110-strict', 'the same request through the RFC 9110 preset: every hop-by-hop header removed'),
  through('proxy-upstream-down', 'nginx-websocket', 'the proxy\'s upstream port is closed: 502', { port: (lab) => lab.deadProxyPort }),
];
