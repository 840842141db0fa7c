// Pasted nginx configs the lab runs: each checked (reader, safety, nginx -t), then run by its
// own real nginx on a loopback port behind the lab's tap, at most `maxRunning` at once. A new
// config past the limit stops the least recently used one; replacing, deleting or closing the
// lab stops nginx and removes its private folder.

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { NginxConfigRequest, NginxConfigResult, NginxConfigSummary, NginxPitfallVerdict, NginxTestMessage } from '../api/types.ts';
import { findNginx, nginxVersion } from '../nginx/binary.ts';
import { NginxErrorLog } from '../nginx/error-log.ts';
import { startNginx, type RunningNginx } from '../nginx/process.ts';
import { testNginxConfig } from '../nginx/test-config.ts';
import type { Connection, UpstreamRef } from '../transcript/types.ts';
import { upstreamRef, type NamedUpstream } from '../upstream/upstreams.ts';
import { layoutOf, locationsOf, matchLocation } from './effective.ts';
import { judgePitfalls } from './judge.ts';
import { parseNginxConfig, walk, type Statement } from './parse.ts';
import { findPitfalls } from './pitfalls.ts';
import { PASTED_HTTP, PASTED_SERVER, prepareConfig, type ProxyPassTarget } from './prepare.ts';
import { runPlan } from './run-plan.ts';
import { refusals, shapeRefusals } from './safety.ts';

export const DEFAULT_MAX_RUNNING = 4;
/** Submissions that may wait while one is checked and started. */
const MAX_WAITING = 4;

export interface NginxConfigsOptions {
  /** `--nginx`; else found on PATH. */
  nginxPath?: string;
  echoPort: number;
  /** Named upstreams and the port of the relay that reaches each (upstream/nginx-relay.ts). */
  relays: ReadonlyMap<string, { upstream: NamedUpstream; port: number }>;
  maxRunning?: number;
  /** The address and port users connect to real nginx on (the tap), for run URLs and the Host pitfall. */
  publicHost: string;
  nginxPort: () => number | undefined;
}

/** Where the tap sends a connection for a pasted config. */
export interface NginxConfigBackend {
  port: number;
  preset: string;
  errorLog: NginxErrorLog;
  upstream?: UpstreamRef;
}

interface Running {
  id: string;
  statements: Statement[];
  result: NginxConfigResult;
  nginx: RunningNginx;
  errorLog: NginxErrorLog;
  upstream?: NamedUpstream;
  startedAt: string;
  lastUsed: number;
  lines: number;
}

export type Submitted = { status: 201 | 422 | 429 | 503; body: NginxConfigResult };

export class NginxConfigs {
  private readonly running = new Map<string, Running>();
  private queue: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  private closed = false;
  readonly maxRunning: number;

  constructor(private readonly options: NginxConfigsOptions) {
    this.maxRunning = options.maxRunning ?? DEFAULT_MAX_RUNNING;
  }

  /** Checks the config and, when it passes, runs it; one submission at a time. */
  submit(request: NginxConfigRequest): Promise<Submitted> {
    const empty: NginxConfigResult = { outcome: 'invalid', refusals: [], test: [], rewrites: [], pitfalls: [] };
    if (this.waiting >= MAX_WAITING) return Promise.resolve({ status: 429, body: { ...empty, error: `${this.waiting} configs are already waiting to be checked; try again in a moment` } });
    this.waiting++;
    const next = this.queue.then(() => this.check(request)).finally(() => this.waiting--);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async check(request: NginxConfigRequest): Promise<Submitted> {
    const parsed = parseNginxConfig(request.config);
    const base: NginxConfigResult = { outcome: 'invalid', refusals: [], test: [], rewrites: [], pitfalls: [] };
    if (!parsed.ok) {
      const { line, message } = parsed.error;
      return { status: 422, body: { ...base, error: `line ${line}: ${message}`, test: [{ level: 'emerg', text: message, line }] } };
    }
    const { statements } = parsed;
    const labPort = this.options.nginxPort() ?? 8091;
    const pitfalls = findPitfalls(statements, { labPort, ...(request.heartbeatMs === undefined ? {} : { heartbeatMs: request.heartbeatMs }) });
    const refused = [...shapeRefusals(statements), ...refusals(statements)].sort((a, b) => a.line - b.line);
    const mode = layoutOf(statements).mode;
    if (refused.length > 0) {
      const first = refused[0]!;
      const lines = [...new Set(refused.map((r) => r.line))];
      const error = `The lab will not run ${lines.length === 1 ? 'line' : 'lines'} ${lines.join(', ')}. Line ${first.line}: ${first.reason}`;
      return { status: 422, body: { ...base, outcome: 'refused', mode, error, refusals: refused, pitfalls } };
    }
    const relay = request.upstream === undefined ? undefined : this.options.relays.get(request.upstream);
    if (request.upstream !== undefined && !relay) {
      const known = [...this.options.relays.keys()];
      return { status: 422, body: { ...base, mode, pitfalls, error: `no upstream named ${request.upstream}: ${known.length === 0 ? 'start the lab with --upstream <name>=ws://host:port' : `this lab knows ${known.join(', ')}`}` } };
    }
    const found = findNginx(this.options.nginxPath);
    if ('reason' in found) return { status: 503, body: { ...base, mode, pitfalls, error: found.reason } };
    const target: ProxyPassTarget = relay
      ? { authority: `127.0.0.1:${relay.port}`, label: `upstream ${relay.upstream.name} (${relay.upstream.url}), through the lab's relay that records what it receives` }
      : { authority: `127.0.0.1:${this.options.echoPort}`, label: "the lab's echo server" };
    const prepared = prepareConfig(request.config, statements, target);
    const version = await nginxVersion(found.path);
    const tested = await testNginxConfig(found.path, version, (dir) => prepared.files({ host: '127.0.0.1', port: labPort }, dir));
    const test = tested.messages.map((m) => toUserLine(m, statements));
    const checked = { ...base, mode, pitfalls, rewrites: prepared.rewrites, test };
    if (!tested.ok) {
      const first = test.find((m) => m.level !== 'warn' && m.level !== 'notice' && m.level !== 'info') ?? test[0];
      return { status: 422, body: { ...checked, error: `nginx -t failed${first?.line === undefined ? '' : ` on line ${first.line}`}: ${first?.text ?? 'without saying why'}` } };
    }
    if (this.closed) return { status: 503, body: { ...checked, error: 'the lab is stopping' } };
    if (request.replaces !== undefined) await this.delete(request.replaces);
    while (this.running.size >= this.maxRunning) {
      const oldest = [...this.running.values()].sort((a, b) => a.lastUsed - b.lastUsed)[0]!;
      await this.delete(oldest.id);
    }
    let nginx: RunningNginx;
    try {
      nginx = await startNginx({ nginxPath: found.path, listenPort: 0, listenHost: '127.0.0.1', upstreamPort: this.options.echoPort, render: (listen, dir) => prepared.files(listen, dir) });
    } catch (error) {
      return { status: 422, body: { ...checked, error: `nginx passed -t but did not start: ${(error as Error).message}` } };
    }
    if (this.closed) {
      await nginx.stop();
      return { status: 503, body: { ...checked, error: 'the lab is stopping' } };
    }
    const id = randomBytes(4).toString('hex');
    const preset = `custom:${id}`;
    const wildcard = this.options.publicHost === '0.0.0.0' || this.options.publicHost === '::';
    const run = runPlan(statements, pitfalls, { id, host: wildcard ? '127.0.0.1' : this.options.publicHost, port: labPort, ...(request.heartbeatMs === undefined ? {} : { heartbeatMs: request.heartbeatMs }) });
    const result: NginxConfigResult = { ...checked, id, outcome: 'running', preset, ...(relay ? { upstream: relay.upstream.name } : {}), ...(run ? { run } : {}) };
    delete result.error;
    const entry: Running = {
      id, statements, result, nginx, errorLog: new NginxErrorLog(join(nginx.dir, 'error.log')), startedAt: new Date().toISOString(), lastUsed: Date.now(),
      lines: request.config.split('\n').length, ...(relay ? { upstream: relay.upstream } : {}),
    };
    this.running.set(id, entry);
    void nginx.exited.then(() => this.running.get(id) === entry && this.running.delete(id));
    return { status: 201, body: result };
  }

  get(id: string): NginxConfigResult | undefined {
    return this.running.get(id)?.result;
  }

  list(): NginxConfigSummary[] {
    return [...this.running.values()].map((r) => ({ id: r.id, preset: r.result.preset!, startedAt: r.startedAt, lines: r.lines, ...(r.upstream ? { upstream: r.upstream.name } : {}) }));
  }

  /** The nginx a tap connection for `id` goes to, marking the config as used. */
  backend(id: string): NginxConfigBackend | undefined {
    const r = this.running.get(id);
    if (!r) return undefined;
    r.lastUsed = Date.now();
    return { port: r.nginx.port, preset: r.result.preset!, errorLog: r.errorLog, ...(r.upstream ? { upstream: upstreamRef(r.upstream) } : {}) };
  }

  /** Each pitfall of `id`, judged by the run recorded as `connection` (and `plain`). */
  verdicts(id: string, connection: Connection, plain?: Connection): NginxPitfallVerdict[] | undefined {
    const r = this.running.get(id);
    if (!r) return undefined;
    const request = connection.events.find((e) => e.kind === 'request' && e.observer === 'nginx' && e.from === 'browser');
    const path = request?.kind === 'request' ? (request.target.split('?')[0] ?? '/') : undefined;
    const reached = path === undefined ? undefined : matchLocation(locationsOf(layoutOf(r.statements)), path)?.statement.line;
    return judgePitfalls(r.result.pitfalls, { connection, ...(plain ? { plain } : {}), ...(reached === undefined ? {} : { reachedLocation: reached }) });
  }

  /** Stops nginx and removes its folder; false when no such config runs. */
  async delete(id: string): Promise<boolean> {
    const r = this.running.get(id);
    if (!r) return false;
    this.running.delete(id);
    await r.nginx.stop();
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.running.keys()].map((id) => this.delete(id)));
  }
}

/**
 * nginx names the included file and its line; the user knows only their own lines. A message
 * nginx writes without a line (`unknown "x" variable`) gets the first line that uses it.
 */
function toUserLine(message: { level: NginxTestMessage['level']; text: string; file?: string; line?: number }, statements: readonly Statement[]): NginxTestMessage {
  const own = message.file === PASTED_HTTP || message.file === PASTED_SERVER;
  let line = own ? message.line : undefined;
  const variable = /^unknown "(\w+)" variable$/.exec(message.text)?.[1];
  if (line === undefined && variable !== undefined) {
    const uses = new RegExp(`\\$\\{?${variable}\\b`);
    line = [...walk(statements)].find(({ statement }) => statement.args.some((a) => uses.test(a.value)))?.statement.line;
  }
  return { level: message.level, text: message.text, ...(line === undefined ? {} : { line }) };
}
