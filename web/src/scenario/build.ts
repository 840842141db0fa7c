import { headerValues } from '../../../server/src/shared/headers.ts';
import type { Connection, Party, Transcript } from '../../../server/src/transcript/types.ts';
import { browserCloseOf, browserOpenOf, requestsOf, responsesOf } from '../lessons/evaluate.ts';
import type { ConnectOptions, Expectation, RouteKey } from '../lessons/types.ts';
import type { RecordedAction, Scenario, ScenarioConnection, ScenarioStep } from './types.ts';

/** Headers whose presence and value at each hop a scenario asserts: what proxies get wrong. */
const WATCHED = ['Upgrade', 'Connection'] as const;

/** `my scenario!` → `my-scenario`. */
export function scenarioName(text: string): string {
  const name = text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return name || 'my-scenario';
}

const legKey = (e: { from: Party; to: Party; observer: Party }) => `${e.from}>${e.to}@${e.observer}`;

/** What the hops observed on one connection, as expectations a replay must meet. */
export function observedExpectations(c: Connection, alias: string): Expectation[] {
  const out: Expectation[] = [];
  const browserGot = responsesOf(c, { to: 'browser' })[0];
  if (browserGot) out.push({ kind: 'status', on: alias, status: browserGot.status });
  const legs = new Set<string>();
  for (const r of requestsOf(c)) {
    if (r.method === 'CONNECT' || legs.has(`q${legKey(r)}`)) continue;
    legs.add(`q${legKey(r)}`);
    const leg = { from: r.from, to: r.to, seenBy: r.observer };
    out.push({ kind: 'http-version', on: alias, version: r.httpVersion, ...leg });
    for (const name of WATCHED) {
      const value = headerValues(r.headers, name)[0];
      out.push(value === undefined ? { kind: 'header', on: alias, event: 'request', name, present: false, ...leg } : { kind: 'header', on: alias, event: 'request', name, present: true, value, ...leg });
    }
  }
  for (const r of responsesOf(c)) {
    // A status is judged per leg, whoever saw it: one expectation per leg.
    if (r.to === 'browser' || legs.has(`s${r.from}>${r.to}`)) continue;
    legs.add(`s${r.from}>${r.to}`);
    out.push({ kind: 'status', on: alias, status: r.status, from: r.from, to: r.to });
  }
  const close = browserCloseOf(c);
  if (browserOpenOf(c) || close) out.push({ kind: 'opened', on: alias, opened: browserOpenOf(c) !== undefined });
  if (close) out.push({ kind: 'close', on: alias, code: close.code, wasClean: close.wasClean, ...(close.reason ? { reason: close.reason } : {}) });
  return out;
}

/** The route key, the path after its preset prefix, and the connect options a recorded URL stands for. */
function routeOf(a: Extract<RecordedAction, { do: 'connect' }>, origin: string): { route: RouteKey; path: string; options: ConnectOptions } | string {
  const url = new URL(a.url);
  if (a.route === 'forward-proxy') return 'a forward-proxy connection needs Chromium started with proxy flags; a scenario replays page routes only';
  if (a.preset?.startsWith('custom:')) return 'a connection through a pasted nginx config depends on that config running; a scenario replays the lab’s presets only';
  if (url.pathname.startsWith('/upstream/')) return 'a connection to your own server (--upstream) depends on that server; a scenario replays the lab’s echo server only';
  let path = url.pathname;
  const route: RouteKey = a.route === 'direct' ? 'direct' : `${a.route}:${a.preset ?? ''}`;
  if (a.route !== 'direct') {
    if (!a.preset || !path.startsWith(`/${a.preset}/`)) return `${a.url} does not start with its preset's path /${a.preset ?? ''}/`;
    path = path.slice(a.preset.length + 1);
  }
  const query = new URLSearchParams(url.search);
  query.delete('lab');
  query.delete('conn');
  const text = query.toString().replace(/%2C/gi, ',').replace(/%3A/gi, ':').replace(/%2F/gi, '/');
  const options: ConnectOptions = {};
  if (a.protocols.length > 0) options.subprotocols = a.protocols.join(',');
  if (a.protocols.length > 0 && !query.has('protocols')) options.serverAcceptsProtocols = false;
  if (query.get('deflate') === 'on') options.deflate = true;
  const heartbeat = Number(query.get('heartbeat'));
  if (query.has('heartbeat') && Number.isFinite(heartbeat)) options.heartbeat = heartbeat;
  if (query.has('origin')) options.origin = query.get('origin')!.split(origin).join('{origin}');
  if (query.get('strict') === '1') options.strict = true;
  if (query.has('fault')) options.fault = query.get('fault')!;
  return { route, path: `${path}${text ? `?${text.split(origin).join('{origin}')}` : ''}`, options };
}

/**
 * The scenario of one session: the actions this tab recorded in it, in order, with the connections
 * they opened named conn1, conn2, … and what the lab observed on each (from `transcript`).
 */
export function buildScenario(name: string, actions: readonly RecordedAction[], transcript: Transcript, origin: string, now = new Date()): Scenario {
  const connections: ScenarioConnection[] = [];
  const aliases = new Map<string, string>();
  const steps: ScenarioStep[] = [];
  const skipped: string[] = [];
  for (const a of actions) {
    if (a.session !== transcript.session) continue;
    if (a.do === 'connect') {
      const route = routeOf(a, origin);
      if (typeof route === 'string') {
        skipped.push(`${a.conn}: ${route}`);
        continue;
      }
      const alias = `conn${connections.length + 1}`;
      const recorded = transcript.connections.find((c) => c.id === a.conn);
      aliases.set(a.conn, alias);
      connections.push({ alias, conn: a.conn, ...route, protocols: a.protocols, expect: recorded ? observedExpectations(recorded, alias) : [] });
      steps.push({ do: 'connect', alias });
      continue;
    }
    const alias = aliases.get(a.conn);
    if (!alias) continue; // on a connection left out above, or opened before recording began
    if (a.do === 'send-binary') skipped.push(`${a.conn}: a binary message of ${a.bytes} bytes (a scenario replays text messages)`);
    else if (a.do === 'send') steps.push({ do: 'send', alias, text: a.text });
    else if (a.do === 'server') steps.push({ do: 'server', alias, action: a.action });
    else steps.push({ do: 'close', alias, ...(a.code === undefined ? {} : { code: a.code }), reason: a.reason });
  }
  return { name: scenarioName(name), recordedAt: now.toISOString(), connections, steps, skipped };
}
