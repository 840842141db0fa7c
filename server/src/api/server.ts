import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listening } from '../listener.ts';
import type { TranscriptStore } from '../transcript/store.ts';
import { DEFAULT_SESSION, type Party, type Route, type Transcript } from '../transcript/types.ts';
import type { ApiError, BrowserReport, EchoAction, LabInfo, SessionCreated } from './types.ts';
import { diagnose } from '../diagnose/index.ts';
import type { ActionResult } from '../echo/live.ts';
import { streamSession } from './live-stream.ts';
import { serveStatic } from './static.ts';
import { parseBrowserReport, parseEchoAction } from './validate.ts';
import type { NginxConfigsApi } from './nginx-configs.ts';

export interface ApiServerOptions {
  store: TranscriptStore;
  info: () => LabInfo;
  act: (session: string, conn: string, action: EchoAction) => ActionResult;
  /** The built UI (web/dist). */
  staticDir: string;
  host?: string;
  port?: number;
  /** /api/nginx-configs (./nginx-configs.ts); absent when the lab runs without real nginx. */
  nginxConfigs?: NginxConfigsApi;
}

export interface ApiServer {
  server: Server;
  listen(): Promise<number>;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;
/** Live streams one session may have open at once (tabs, classroom projectors). */
const MAX_STREAMS_PER_SESSION = 32;

/** The hop a browser's WebSocket talks to first, by route: the `from` of what the browser observes. */
const FIRST_HOP: Record<Route, Party> = { direct: 'echo', 'reverse-proxy': 'reverse-proxy', nginx: 'nginx', 'forward-proxy': 'forward-proxy' };

/** Every view of the transcript carries its findings, so an exported file explains itself. */
export function transcriptWithFindings(transcript: Transcript): Transcript {
  return { ...transcript, connections: transcript.connections.map((c) => ({ ...c, findings: diagnose(c) })) };
}

export function createApiServer(options: ApiServerOptions): ApiServer {
  const { store } = options;
  const streams = new Map<string, number>();
  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => send(res, 500, { error: `internal error: ${err.message}` }));
  });
  server.on('connection', (socket) => socket.on('error', () => socket.destroy()));
  const lifecycle = listening(server, options.host, options.port);
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://lab.invalid');
    const path = url.pathname;
    if (!path.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'only GET is served outside /api' });
      return serveStatic(options.staticDir, path, res);
    }
    if (path === '/api/info' && req.method === 'GET') return send(res, 200, options.info());
    if (path.startsWith('/api/nginx-configs') && options.nginxConfigs) return options.nginxConfigs.handle(req, res, url);
    if (path === '/api/sessions' && req.method === 'POST') {
      return send(res, 201, { id: store.createSession() } satisfies SessionCreated);
    }
    const match = /^\/api\/sessions\/([^/]+)\/(transcript|live|connections\/([^/]+)\/(events|actions))$/.exec(path);
    if (!match) return send(res, 404, { error: `no such API route: ${req.method} ${path}` });
    const session = decodeURIComponent(match[1]!);
    if (!store.hasSession(session) || (session === DEFAULT_SESSION && !isLoopback(req))) {
      return send(res, 404, { error: `unknown session ${session}: create one with POST /api/sessions` });
    }
    const [, , what, conn, sub] = match;
    if (what === 'transcript' && req.method === 'GET') return send(res, 200, transcriptWithFindings(store.read(session)!));
    if (what === 'live' && req.method === 'GET') {
      const open = streams.get(session) ?? 0;
      if (open >= MAX_STREAMS_PER_SESSION) {
        return send(res, 429, { error: `this session already has ${open} live streams open; close a tab showing it, then reload` });
      }
      streams.set(session, open + 1);
      res.once('close', () => {
        const left = (streams.get(session) ?? 1) - 1;
        if (left > 0) streams.set(session, left);
        else streams.delete(session);
      });
      return streamSession(store, session, res);
    }
    if (conn !== undefined && req.method === 'POST') {
      const body = await readJson(req);
      if ('error' in body) return send(res, 400, body);
      const connection = decodeURIComponent(conn);
      if (sub === 'events') return report(session, connection, body.value, res);
      const action = parseEchoAction(body.value);
      if (typeof action === 'string') return send(res, 400, { error: action });
      const result = options.act(session, connection, action);
      return result.ok ? send(res, 202, { ok: true }) : send(res, result.status, { error: result.error });
    }
    return send(res, 405, { error: `${req.method} is not allowed on ${path}` });
  }

  function report(session: string, conn: string, value: unknown, res: ServerResponse): void {
    const report: BrowserReport | string = parseBrowserReport(value);
    if (typeof report === 'string') return send(res, 400, { error: report });
    const meta = store.openConnection(session, conn, report.meta);
    const seen = { observer: 'browser', from: FIRST_HOP[meta.route], to: 'browser' } as const;
    switch (report.kind) {
      case 'start':
        break;
      case 'open':
        store.append(session, conn, { kind: 'open', ...seen, protocol: report.protocol, extensions: report.extensions });
        break;
      case 'close':
        store.append(session, conn, { kind: 'close', ...seen, code: report.code, reason: report.reason, wasClean: report.wasClean });
        break;
      case 'error':
        store.append(session, conn, { kind: 'error', ...seen, code: report.code, message: report.message });
        break;
    }
    res.writeHead(204).end();
  }

  return {
    server,
    listen: lifecycle.listen,
    close: lifecycle.close,
  };
}

function isLoopback(req: IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? '';
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<{ value: unknown } | ApiError> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return { error: `request body over ${MAX_BODY} bytes` };
    chunks.push(chunk);
  }
  try {
    return { value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return { error: 'the request body is not JSON' };
  }
}
