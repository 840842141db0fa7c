// What the tests of pasted nginx configs share: a lab with real nginx, pasting a config through
// the API, and a run through it with a real WebSocket client, as the UI's Run button does.

import http from 'node:http';
import { WebSocket } from 'ws';
import type { NginxConfigRequest, NginxConfigResult, NginxPitfallVerdict } from '../../src/api/types.ts';
import { startLab, type Lab, type LabOptions } from '../../src/lab.ts';
import type { Connection } from '../../src/transcript/types.ts';

export async function startNginxLab(options: Partial<LabOptions> = {}): Promise<Lab> {
  const lab = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0, proxyPort: 0, nginxPort: 0, idleTimeoutMs: 1000, ...options });
  const nginx = lab.info().nginx;
  if (!nginx.available) {
    await lab.close();
    throw new Error(`these tests need real nginx: ${nginx.reason}`);
  }
  return lab;
}

export async function api(lab: Lab, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  // State-changing requests say they are JSON, body or not, as the lab's page does.
  const response = await fetch(`http://127.0.0.1:${lab.ports.ui}${path}`, {
    method,
    ...(method === 'GET' ? {} : { headers: { 'content-type': 'application/json' } }),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

export async function paste(lab: Lab, request: NginxConfigRequest): Promise<{ status: number; result: NginxConfigResult }> {
  const { status, body } = await api(lab, 'POST', '/api/nginx-configs', request);
  return { status, result: body as NginxConfigResult };
}

/** The Origin a browser on the lab's page sends. */
export const BROWSER_ORIGIN = 'http://127.0.0.1:8080';

export interface RunOptions {
  session: string;
  conn: string;
  /** Defaults to the run plan's path. */
  path?: string;
  /** Stay quiet this long after the echo before closing (or until nginx closes). */
  idleMs?: number;
  heartbeatMs?: number;
  plain?: boolean;
  /** The nginx port's query parameter; defaults to the pasted config's id. */
  via?: string;
}

export interface RunResult {
  status: 'open' | number;
  echoed?: string;
  closeCode?: number;
}

/** A run through the config as the UI's Run does: open, echo, stay quiet, close 1000; then a plain GET when asked. */
export async function runThrough(lab: Lab, result: NginxConfigResult, options: RunOptions): Promise<RunResult> {
  const path = options.path ?? result.run?.path ?? '/';
  const query = `lab=${options.session}&conn=${options.conn}&nginx-config=${options.via ?? result.id}${options.heartbeatMs ? `&heartbeat=${options.heartbeatMs}` : ''}`;
  const url = `ws://127.0.0.1:${lab.ports.nginx}${path}?${query}`;
  const outcome = await new Promise<RunResult>((resolve) => {
    // As the lab's page would: a browser always sends its Origin.
    const ws = new WebSocket(url, { headers: { Origin: BROWSER_ORIGIN } });
    const out: RunResult = { status: 'open' };
    ws.on('error', () => {});
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    ws.on('open', () => ws.send('hello through your config'));
    ws.on('message', (data) => {
      out.echoed = String(data);
      setTimeout(() => ws.readyState === WebSocket.OPEN && ws.close(1000, 'done'), options.idleMs ?? 0);
    });
    ws.on('close', (code) => resolve({ ...out, closeCode: code }));
  });
  if (options.plain) await plainGet(lab.ports.nginx!, `${path}?lab=${options.session}&conn=${options.conn}-plain&nginx-config=${options.via ?? result.id}`);
  // The echo server files its close a moment after the client sees it.
  await new Promise((r) => setTimeout(r, 100));
  return outcome;
}

function plainGet(port: number, target: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: target, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });
}

export async function verdicts(lab: Lab, id: string, session: string, conn: string, plain = false): Promise<NginxPitfallVerdict[]> {
  const { status, body } = await api(lab, 'GET', `/api/nginx-configs/${id}/verdicts?session=${session}&conn=${conn}${plain ? `&plain=${conn}-plain` : ''}`);
  if (status !== 200) throw new Error(`verdicts: ${status} ${JSON.stringify(body)}`);
  return (body as { verdicts: NginxPitfallVerdict[] }).verdicts;
}

export function recorded(lab: Lab, session: string, conn: string): Connection {
  const connection = lab.store.read(session)?.connections.find((c) => c.id === conn);
  if (!connection) throw new Error(`the lab recorded no connection ${conn}`);
  return connection;
}
