// A user's WebSocket app for the --upstream tests: it echoes (prefixed, so the test knows the app
// answered, not the lab's echo server) and says what each request looked like when it arrived.
// Over TLS (wss://) when given a certificate.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { LabCertificate } from '../../src/tls/certificate.ts';

export interface Received {
  url: string;
  httpVersion: string;
  headers: [string, string][];
  /** Whether the request came over TLS. */
  tls: boolean;
}

export interface App {
  port: number;
  received: Received[];
  close(): Promise<void>;
}

export async function startApp(options: { certificate?: LabCertificate; reply?: (message: string) => string } = {}): Promise<App> {
  const reply = options.reply ?? ((m) => `app heard ${m}`);
  const received: Received[] = [];
  const record = (req: http.IncomingMessage) => {
    const headers: [string, string][] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
    received.push({ url: req.url ?? '', httpVersion: req.httpVersion, headers, tls: 'encrypted' in req.socket });
  };
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (ws) => ws.on('message', (m) => ws.send(reply(String(m)))));
  const answer = (req: http.IncomingMessage, res: http.ServerResponse) => {
    record(req);
    res.writeHead(426, { Upgrade: 'websocket', 'Content-Type': 'text/plain' }).end('this is a WebSocket endpoint\n');
  };
  const server = options.certificate ? https.createServer({ cert: options.certificate.cert, key: options.certificate.key }, answer) : http.createServer(answer);
  server.on('upgrade', (req: http.IncomingMessage, socket, head) => {
    record(req);
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
