// /api/nginx-configs: paste an nginx config, see it checked and run by real nginx, and have
// each pitfall judged by a run through it (types in ./types.ts). Only from this machine unless
// the lab runs with --allow-remote-configs: a config runs in real nginx here.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NginxConfigs } from '../nginx-config/registry.ts';
import type { TranscriptStore } from '../transcript/store.ts';
import { DEFAULT_SESSION } from '../transcript/types.ts';
import type { ApiError, NginxConfigRequest, NginxVerdicts } from './types.ts';

/** The most config text the lab reads; a server block is a few hundred lines at most. */
export const MAX_CONFIG_BYTES = 32 * 1024;
const MAX_BODY = MAX_CONFIG_BYTES * 2;

export interface NginxConfigsApiOptions {
  store: TranscriptStore;
  /** Undefined when real nginx does not run in this lab: every request is answered with `unavailable`. */
  configs?: NginxConfigs;
  unavailable?: string;
  /** `--allow-remote-configs`. */
  allowRemote: boolean;
}

export interface NginxConfigsApi {
  /** Answers every request under /api/nginx-configs; anything else is not its business. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The request body, read field by field from `unknown`; a string says what is wrong. */
export function parseNginxConfigRequest(v: unknown): NginxConfigRequest | string {
  if (!isObj(v)) return 'the body must be a JSON object: { "config": "location /ws/ { … }" }';
  const { config, upstream, heartbeatMs, replaces } = v;
  if (typeof config !== 'string' || config.trim() === '') return 'config must be the nginx text: a location block or a server block';
  if (Buffer.byteLength(config) > MAX_CONFIG_BYTES) return `config is over ${MAX_CONFIG_BYTES / 1024} KiB; paste the server block or location you are debugging`;
  if (upstream !== undefined && typeof upstream !== 'string') return 'upstream must be the name of an --upstream';
  if (heartbeatMs !== undefined && (typeof heartbeatMs !== 'number' || !Number.isInteger(heartbeatMs) || heartbeatMs < 100 || heartbeatMs > 86_400_000)) {
    return 'heartbeatMs must be a whole number of milliseconds from 100 to 86400000';
  }
  if (replaces !== undefined && (typeof replaces !== 'string' || !/^[0-9a-f]{1,32}$/.test(replaces))) return 'replaces must be the id of a pasted config';
  return {
    config,
    ...(upstream === undefined ? {} : { upstream }),
    ...(heartbeatMs === undefined ? {} : { heartbeatMs }),
    ...(replaces === undefined ? {} : { replaces }),
  };
}

function isLoopback(req: IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? '';
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (res.headersSent) return void res.end();
  if (body === undefined) return void res.writeHead(status, { 'Cache-Control': 'no-store' }).end();
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<{ value: unknown } | ApiError> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return { error: 'send the body as JSON with Content-Type: application/json' };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return { error: `request body over ${MAX_BODY / 1024} KiB` };
    chunks.push(chunk);
  }
  try {
    return { value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return { error: 'the request body is not JSON' };
  }
}

export function createNginxConfigsApi(options: NginxConfigsApiOptions): NginxConfigsApi {
  const { store } = options;

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (!options.allowRemote && !isLoopback(req)) {
      return send(res, 403, { error: 'pasted nginx configs are taken only from this machine, because they run in real nginx here; start the lab with --allow-remote-configs to take them from others' });
    }
    const configs = options.configs;
    if (!configs) return send(res, 503, { error: `pasted nginx configs need real nginx, which is not running in this lab: ${options.unavailable ?? 'start it with --nginx-port'}` });
    const match = /^\/api\/nginx-configs(?:\/([0-9a-f]{1,32})(\/verdicts)?)?\/?$/.exec(url.pathname);
    if (!match) return send(res, 404, { error: `no such API route: ${req.method} ${url.pathname}` });
    const [, id, verdicts] = match;
    if (id === undefined) {
      if (req.method === 'GET') return send(res, 200, configs.list());
      if (req.method !== 'POST') return send(res, 405, { error: `${req.method} is not allowed on /api/nginx-configs; POST a config or GET the list` });
      const body = await readJson(req);
      if ('error' in body) return send(res, body.error.startsWith('send the body') ? 415 : 400, body);
      const request = parseNginxConfigRequest(body.value);
      if (typeof request === 'string') return send(res, 400, { error: request });
      const submitted = await configs.submit(request);
      return send(res, submitted.status, submitted.body);
    }
    if (verdicts !== undefined) {
      if (req.method !== 'GET') return send(res, 405, { error: `${req.method} is not allowed on ${url.pathname}` });
      return judge(configs, id, url, req, res);
    }
    if (req.method === 'GET') {
      const result = configs.get(id);
      return result ? send(res, 200, result) : send(res, 404, { error: `no pasted nginx config ${id} is running` });
    }
    if (req.method === 'DELETE') {
      return (await configs.delete(id)) ? send(res, 204) : send(res, 404, { error: `no pasted nginx config ${id} is running` });
    }
    return send(res, 405, { error: `${req.method} is not allowed on ${url.pathname}` });
  }

  function judge(configs: NginxConfigs, id: string, url: URL, req: IncomingMessage, res: ServerResponse): void {
    const session = url.searchParams.get('session') ?? '';
    const conn = url.searchParams.get('conn') ?? '';
    const plainId = url.searchParams.get('plain');
    if (!store.hasSession(session) || (session === DEFAULT_SESSION && !isLoopback(req))) {
      return send(res, 404, { error: `unknown session ${JSON.stringify(session)}: pass ?session=<id>&conn=<connection> of the run` });
    }
    const connections = store.read(session)!.connections;
    const connection = connections.find((c) => c.id === conn);
    if (!connection) return send(res, 404, { error: `session has no connection ${JSON.stringify(conn)}; run through the config first (?conn= names the run's connection)` });
    const plain = plainId === null ? undefined : connections.find((c) => c.id === plainId);
    const judged = configs.verdicts(id, connection, plain);
    if (!judged) return send(res, 404, { error: `no pasted nginx config ${id} is running` });
    return send(res, 200, { id, conn, verdicts: judged } satisfies NginxVerdicts);
  }

  return { handle };
}
