// Scenarios through the forward proxy's presets (corporate proxies): a tunnel cut because it did
// not start with TLS, a CONNECT refused because the port is not 443 (filed under default, as a
// CONNECT names no page), and the page's side of that refusal, where no hop saw anything.
import { browserReport, rawClient, upgradeRequest, type Lab, type Scenario } from './record-kit.ts';
import { DEFAULT_SESSION } from '../../src/transcript/types.ts';

const connectTo = (port: number) => `CONNECT 127.0.0.1:${port} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nProxy-Connection: keep-alive\r\n\r\n`;

export const CORPORATE_SCENARIOS: readonly Scenario[] = [
  {
    name: 'forward-proxy-tls-only-plain',
    description: 'a browser behind the tls-only proxy opens ws://: CONNECT allowed, the plain-text handshake inside cut, 1006',
    run: async (lab, conn) => {
      const url = `ws://127.0.0.1:${lab.echoPort}/echo?lab=${lab.session}&conn=${conn}`;
      lab.store.openConnection(lab.session, conn, { url, route: 'forward-proxy', chosen: true });
      await rawClient(lab.tlsOnlyProxyPort, connectTo(lab.echoPort), undefined, (socket) =>
        socket.once('data', () => socket.write(upgradeRequest(`/echo?lab=${lab.session}&conn=${conn}`, `127.0.0.1:${lab.echoPort}`))),
      );
      browserReport(lab, conn, 'forward-proxy', { kind: 'error', code: 'error-event', message: 'The browser fired an error event on the WebSocket.' });
      browserReport(lab, conn, 'forward-proxy', { kind: 'close', code: 1006, reason: '', wasClean: false });
    },
  },
  {
    name: 'forward-proxy-port-not-443',
    description: 'CONNECT to the echo server through the connect-443-only proxy: 403, filed under default',
    run: async (lab) => {
      const before = new Set(lab.store.read(DEFAULT_SESSION)?.connections.map((c) => c.id));
      await rawClient(lab.port443OnlyProxyPort, connectTo(lab.echoPort));
      const conn = lab.store.read(DEFAULT_SESSION)?.connections.find((c) => !before.has(c.id))?.id;
      if (!conn) throw new Error('nothing was recorded in the default session');
      return { session: DEFAULT_SESSION, conn };
    },
  },
  {
    name: 'forward-proxy-refused-page-side',
    description: "the page's side of a CONNECT its proxy refused: only the browser's error and 1006",
    run: async (lab, conn) => {
      const url = `ws://127.0.0.1:${lab.echoPort}/echo?lab=${lab.session}&conn=${conn}`;
      lab.store.openConnection(lab.session, conn, { url, route: 'forward-proxy', chosen: true });
      await rawClient(lab.port443OnlyProxyPort, connectTo(lab.echoPort));
      browserReport(lab, conn, 'forward-proxy', { kind: 'error', code: 'error-event', message: 'The browser fired an error event on the WebSocket.' });
      browserReport(lab, conn, 'forward-proxy', { kind: 'close', code: 1006, reason: '', wasClean: false });
    },
  },
];

export const TLS_SCENARIOS: readonly Scenario[] = [
  {
    name: 'wss-certificate-not-trusted',
    description: 'a browser that does not trust the certificate: the TLS handshake ends, only the browser has 1006 to say',
    run: async (lab, conn) => {
      lab.store.openConnection(lab.session, conn, { url: `wss://127.0.0.1:${lab.echoPort}/echo?lab=${lab.session}&conn=${conn}`, route: 'direct', chosen: true });
      browserReport(lab, conn, 'direct', { kind: 'error', code: 'error-event', message: 'The browser fired an error event on the WebSocket.' });
      browserReport(lab, conn, 'direct', { kind: 'close', code: 1006, reason: '', wasClean: false });
    },
  },
];
