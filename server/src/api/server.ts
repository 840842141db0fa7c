import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { DEFAULT_HEAD_TIMEOUT_MS } from '../flow.ts';
import { listening } from '../listener.ts';
import { log } from '../log.ts';
import { DEFAULT_LIMITS, type TranscriptStore } from '../transcript/store.ts';
import { DEFAULT_SESSION, type Party, type Route } from '../transcript/types.ts';
import type { ApiError, BrowserReport, EchoAction, LabInfo, SessionCreated } from './types.ts';
import type { ActionResult } from '../echo/live.ts';
import { Boundary } from './boundary.ts';
import { streamSession } from './live-stream.ts';
import { serveStatic } from './static.ts';
import { streamTranscript } from './transcript-stream.ts';
import { Findings } from './findings.ts';
import { LiveFindingsHub } from './live-findings.ts';
import { parseBrowserReport, parseEchoAction } from './validate.ts';
import { ownerToken, Owners } from './ownership.ts';
import { parsePresenterPost, PresenterBoards } from './presenter.ts';
import { importSession, serveHar } from './import.ts';
import type { NginxConfigsApi } from './nginx-configs.ts';

export interface ApiServerOptions {
  store: TranscriptStore;
  info: () => LabInfo;
  act: (session: string, conn: string, action: EchoAction) => ActionResult;
  /** The built UI (web/dist). */
  staticDir: string;
  host?: string;
  port?: number;
  /** More names the lab is reached under (`--allowed-host`). */
  allowedHosts?: readonly string[];
  /** How long a client may take to send a whole request head; then 408. */
  headTimeoutMs?: number;
  /** Ports of the lab's other listeners: pages served at their origins are the lab's own. */
  listenerPorts?: () => readonly number[];
  /** More ports this API itself answers on (the UI over HTTPS). */
  alsoPorts?: () => readonly number[];
  /** /api/nginx-configs (./nginx-configs.ts); absent when the lab runs without real nginx. */
  nginxConfigs?: NginxConfigsApi;
  /** The store's per-session limits, which a file must fit to be opened. */
  importLimits?: { maxEvents: number; maxConnections: number };
}

export interface ApiServer {
  server: Server;
  /** The request handler, for another server to serve the same UI and API (HTTP/2). */
  handle(req: IncomingMessage, res: ServerResponse): void;
  listen(): Promise<number>;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;
/** Live streams one session may have open at once: a class of followers, each tab one stream. */
const MAX_STREAMS_PER_SESSION = 128;

/** The hop a browser's WebSocket talks to first, by route: the `from` of what the browser observes. */
const FIRST_HOP: Record<Route, Party> = { direct: 'echo', 'reverse-proxy': 'reverse-proxy', nginx: 'nginx', 'forward-proxy': 'forward-proxy' };

const SESSION_ROUTE = /^\/api\/sessions\/([^/]+)\/(transcript|har|live|presenter|connections\/([^/]+)\/(events|actions))$/;

/** The methods each route answers; any other method is 405 with this list. */
function allowedMethods(path: string): string[] | undefined {
  if (!path.startsWith('/api/')) return ['GET', 'HEAD'];
  if (path === '/api/info') return ['GET'];
  if (path === '/api/sessions' || path === '/api/sessions/import') return ['POST'];
  // Pasted nginx configs answer their own methods (./nginx-configs.ts).
  if (path === '/api/nginx-configs' || path.startsWith('/api/nginx-configs/')) return ['GET', 'POST', 'DELETE'];
  const match = SESSION_ROUTE.exec(path);
  if (!match) return undefined;
  if (match[2] === 'presenter') return ['GET', 'POST', 'DELETE'];
  return match[3] === undefined ? ['GET'] : ['POST'];
}

/** What Node's HTTP parser reports for a request it could not read, as the status it deserves. */
function statusForClientError(code: string | undefined): { status: number; text: string } {
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 431, text: 'Request Header Fields Too Large' };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, text: 'Request Timeout' };
  return { status: 400, text: 'Bad Request' };
}

export function createApiServer(options: ApiServerOptions): ApiServer {
  const { store } = options;
  const streams = new Map<string, number>();
  const owners = new Owners();
  const presenters = new PresenterBoards();
  const findings = new Findings(() => {
    const { ports } = options.info();
    return { uiPort: ports.ui, ...(ports.forwardProxy === undefined ? {} : { forwardProxyPort: ports.forwardProxy }) };
  });
  const liveFindings = new LiveFindingsHub(store, findings);
  const headTimeoutMs = options.headTimeoutMs ?? DEFAULT_HEAD_TIMEOUT_MS;
  const server = createServer(
    {
      // Node measures these from the first byte of a request and never re-arms them per byte.
      headersTimeout: headTimeoutMs,
      requestTimeout: Math.max(headTimeoutMs, 300_000),
      connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(headTimeoutMs / 4))),
      maxHeaderSize: 16 * 1024,
    },
    (req, res) => {
      handle(req, res).catch((err: Error) => {
        log(`lab UI + API: ${req.method} ${req.url}: ${err.stack ?? err.message}`);
        send(res, 500, { error: `internal error: ${err.message}` });
      });
    },
  );
  let port = 0;
  const boundary = new Boundary({
    host: options.host ?? '127.0.0.1',
    port: () => port,
    allowedHosts: options.allowedHosts ?? [],
    ...(options.listenerPorts ? { listenerPorts: options.listenerPorts } : {}),
    ...(options.alsoPorts ? { alsoPorts: options.alsoPorts } : {}),
  });
  const lifecycle = listening(server, { name: 'lab UI + API', host: options.host, port: options.port });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    const { status, text } = statusForClientError(err.code);
    if (socket.writable) socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    else socket.destroy();
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://lab.invalid');
    const path = url.pathname;
    const methods = allowedMethods(path);
    const refused = boundary.check(req, false);
    if (refused) return send(res, refused.status, { error: refused.error });
    if (!methods) return send(res, 404, { error: `no such API route: ${req.method} ${path}` });
    if (!methods.includes(req.method ?? '')) {
      return send(res, 405, { error: `${req.method} is not allowed on ${path}; use ${methods.join(' or ')}` }, { Allow: methods.join(', ') });
    }
    // What changes state must come from the lab's own page, as JSON (a cross-site form cannot send that).
    const changeRefused = req.method === 'POST' || req.method === 'DELETE' ? boundary.check(req, true) : undefined;
    if (changeRefused) return send(res, changeRefused.status, { error: changeRefused.error });
    if (!path.startsWith('/api/')) return serveStatic(options.staticDir, path, res);
    if (path === '/api/info') return send(res, 200, options.info());
    if (path.startsWith('/api/nginx-configs') && options.nginxConfigs) return options.nginxConfigs.handle(req, res, url);
    if (path === '/api/sessions') return send(res, 201, { id: store.createSession() } satisfies SessionCreated);
    if (path === '/api/sessions/import') return importSession(store, options.importLimits ?? DEFAULT_LIMITS, req, res, url, send);
    const [, rawSession = '', what, rawConn] = SESSION_ROUTE.exec(path)!;
    const session = decode(rawSession);
    const conn = rawConn === undefined ? '' : decode(rawConn);
    if (session === undefined || conn === undefined) return send(res, 400, { error: `malformed percent-escape in ${path}` });
    if (!store.hasSession(session) || (session === DEFAULT_SESSION && !isLoopback(req))) {
      return send(res, 404, { error: `unknown session ${session}: create one with POST /api/sessions` });
    }
    if (what === 'transcript') return streamTranscript(store.snapshot(session)!, res, findings);
    if (what === 'har') return serveHar(store, session, res, send);
    if (what === 'live') return live(session, res);
    const token = ownerToken(req);
    // A presenter may present an imported (read-only) session too: presenting writes nothing to it.
    if (what === 'presenter') return presenter(req, res, session, token);
    const readOnly = store.readOnly(session, conn);
    if (readOnly) return send(res, 409, { error: readOnly });
    const body = await readJson(req);
    if ('error' in body) return send(res, 400, body);
    if (what!.endsWith('events')) return report(session, conn, body.value, token, res);
    const action = parseEchoAction(body.value);
    if (typeof action === 'string') return send(res, 400, { error: action });
    const notOwner = owners.check(session, conn, token);
    if (notOwner) return send(res, notOwner.status, { error: notOwner.error });
    const result = options.act(session, conn, action);
    return result.ok ? send(res, 202, { ok: true }) : send(res, result.status, { error: result.error });
  }

  /** The session's presenter: read it, publish this tab's view as it, or stop presenting. */
  async function presenter(req: IncomingMessage, res: ServerResponse, session: string, token: string | undefined): Promise<void> {
    if (req.method === 'GET') return send(res, 200, presenters.get(session));
    if (token === undefined) return send(res, 400, { error: 'presenting needs the tab\'s owner token (the lab UI sends it in X-Lab-Owner)' });
    if (req.method === 'DELETE') {
      const refused = presenters.stop(session, token);
      return refused ? send(res, refused.status, { error: refused.error }) : void res.writeHead(204).end();
    }
    const body = await readJson(req);
    if ('error' in body) return send(res, 400, body);
    const post = parsePresenterPost(body.value);
    if (typeof post === 'string') return send(res, 400, { error: post });
    const result = presenters.publish(session, token, post);
    return 'error' in result ? send(res, result.status, { error: result.error }) : send(res, 200, result);
  }

  function live(session: string, res: ServerResponse): void {
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
    streamSession(store, session, res, presenters, liveFindings);
  }

  function report(session: string, conn: string, value: unknown, token: string | undefined, res: ServerResponse): void {
    const report: BrowserReport | string = parseBrowserReport(value);
    if (typeof report === 'string') return send(res, 400, { error: report });
    // The tab that registers a connection owns it; another tab may not report on it.
    const notOwner = report.kind === 'start' ? owners.claim(session, conn, token) : owners.check(session, conn, token);
    if (notOwner) return send(res, notOwner.status, { error: notOwner.error });
    // What the page sends is what it asked for; the hops say which route the wire took, and the
    // browser's peer is the first of them (the echo server when no CONNECT reached the forward proxy).
    const meta = store.openConnection(session, conn, { ...report.meta, chosen: true });
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
    handle: (req, res) => {
      handle(req, res).catch((err: Error) => {
        log(`lab UI + API: ${req.method} ${req.url}: ${err.stack ?? err.message}`);
        send(res, 500, { error: `internal error: ${err.message}` });
      });
    },
    listen: async () => (port = await lifecycle.listen()),
    close: async () => {
      liveFindings.close();
      await findings.close();
      await lifecycle.close();
    },
  };
}

/** A path segment, percent-decoded; undefined when an escape is malformed. */
function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function isLoopback(req: IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? '';
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
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
