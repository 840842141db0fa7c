// Scenarios about the route a connection took against the one the page chose: a page cannot
// choose a proxy, so "Forward proxy" in a browser without proxy settings is a direct
// connection, and a browser with them tunnels every connection, a reverse-proxy route included.
import { browserSocket, connectTunnel, type Lab, type Scenario } from './record-kit.ts';
import type { Route } from '../../src/transcript/types.ts';
import type WebSocket from 'ws';

/** One message, echoed, then a close from the browser with 1000. */
const echoOnce = (ws: WebSocket) => {
  ws.once('message', () => ws.close(1000, 'done'));
  ws.send('hello');
};

function chosen(name: string, description: string, route: Route, url: (lab: Lab, conn: string) => string, tunnelTo?: (lab: Lab) => number): Scenario {
  return {
    name,
    description,
    run: async (lab, conn) => {
      const tunnel = tunnelTo ? await connectTunnel(lab, tunnelTo(lab)) : undefined;
      await browserSocket(lab, conn, url(lab, conn), { route, onOpen: echoOnce, ...(tunnel ? { tunnel } : {}) });
    },
  };
}

const echoUrl = (lab: Lab, conn: string) => `ws://127.0.0.1:${lab.echoPort}/echo?lab=${lab.session}&conn=${conn}`;

export const ROUTE_SCENARIOS: readonly Scenario[] = [
  chosen('route-forward-proxy', 'a browser with proxy settings: CONNECT to the echo server, the handshake inside, one echo, close 1000', 'forward-proxy', echoUrl, (lab) => lab.echoPort),
  chosen('route-forward-proxy-chosen-direct', 'the forward proxy chosen in a browser without proxy settings: a direct connection, no CONNECT', 'forward-proxy', echoUrl),
  chosen(
    'route-reverse-proxy-through-forward-proxy',
    'a reverse-proxy route in a browser with proxy settings: CONNECT to the reverse proxy, then nginx-websocket to the echo server',
    'reverse-proxy',
    (lab, conn) => `ws://127.0.0.1:${lab.proxyPort}/nginx-websocket/echo?lab=${lab.session}&conn=${conn}`,
    (lab) => lab.proxyPort,
  ),
];
