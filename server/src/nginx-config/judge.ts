// Each pitfall of the static check, confirmed or refuted by what a real run through the config
// recorded: the request the browser sent nginx (the tap), the request the server received and
// its answer (the echo server, or the relay to a named upstream), and how the tunnel ended.

import type { NginxPitfall, NginxPitfallVerdict, NginxVerdict } from '../api/types.ts';
import { buildContext, type DiagnoseContext } from '../diagnose/context.ts';
import { proxyIdleTimeout } from '../diagnose/rules/idle.ts';
import { nginxValue } from '../reverse-proxy/presets-nginx.ts';
import { connectionTokens } from '../shared/headers.ts';
import type { Connection, RequestEvent } from '../transcript/types.ts';
import { headerValue } from '../wire/http-head.ts';

export interface RunRecord {
  /** The WebSocket connection of the run. */
  connection: Connection;
  /** The plain GET sent through the same location, when the run sent one. */
  plain?: Connection;
  /** The line of the location the run's request reached, if it reached one. */
  reachedLocation?: number;
}

/** A quiet spell this much longer than the timeout, with the tunnel still open, refutes it. */
const TIMEOUT_SLACK_MS = 500;

const pathOf = (target: string) => target.split('?')[0] ?? target;
const requestLine = (r: RequestEvent) => `${r.method} ${pathOf(r.target)} HTTP/${r.httpVersion}`;
const quote = (r: RequestEvent, name: string) => {
  const v = headerValue(r.headers, name);
  return v === undefined ? `no ${name} header` : `${name}: ${v}`;
};

interface Run {
  ctx: DiagnoseContext;
  server: string;
  atNginx?: RequestEvent;
  atServer?: RequestEvent;
  outcome: string;
}

function view(connection: Connection): Run {
  const ctx = buildContext(connection);
  const server = connection.upstream ? `upstream ${connection.upstream.name}` : 'the echo server';
  const atNginx = ctx.received('nginx');
  const atServer = ctx.echo?.request;
  const answered = ctx.echo?.response;
  const browser = ctx.browser.close;
  const parts = [answered ? `${server} answered ${answered.status} ${answered.reason}` : `${server} sent no answer`];
  if (browser) parts.push(`the browser reports ${browser.code}`);
  return { ctx, server, ...(atNginx ? { atNginx } : {}), ...(atServer ? { atServer } : {}), outcome: parts.join(', and ') };
}

const verdict = (pitfall: NginxPitfall, v: NginxVerdict, evidence: string): NginxPitfallVerdict => ({
  id: pitfall.id,
  line: pitfall.line,
  verdict: v,
  evidence: evidence.startsWith('nginx') ? evidence : evidence.charAt(0).toUpperCase() + evidence.slice(1),
});

function notReached(pitfall: NginxPitfall, run: Run): NginxPitfallVerdict | undefined {
  if (!run.atServer) {
    const answer = run.ctx.responseSent('nginx');
    return verdict(pitfall, 'not-run', `The run's request never reached ${run.server}${answer ? `: nginx answered ${answer.status} ${answer.reason} itself` : ''}.`);
  }
  return undefined;
}

function judgeOne(pitfall: NginxPitfall, record: RunRecord): NginxPitfallVerdict {
  const run = view(record.connection);
  if (record.reachedLocation !== undefined && record.reachedLocation !== pitfall.location.line) {
    return verdict(pitfall, 'not-run', `The run's request reached the location on line ${record.reachedLocation}, not ${pitfall.location.text} (line ${pitfall.location.line}).`);
  }
  if (pitfall.id === 'connection-constant') return judgeConstantConnection(pitfall, record);
  const missing = notReached(pitfall, run);
  if (missing) return missing;
  const atServer = run.atServer!;
  const received = `${run.server} received ${requestLine(atServer)}`;
  switch (pitfall.id) {
    case 'proxy-http-version':
      return atServer.httpVersion === '1.0'
        ? verdict(pitfall, 'confirmed', `${received}: an HTTP/1.0 upgrade request, and ${run.outcome}.`)
        : verdict(pitfall, 'refuted', `${received}: nginx spoke HTTP/${atServer.httpVersion} upstream.`);
    case 'upgrade-not-set': {
      const upgrade = headerValue(atServer.headers, 'upgrade');
      return upgrade === undefined
        ? verdict(pitfall, 'confirmed', `${received} with no Upgrade header (the browser sent ${run.atNginx ? quote(run.atNginx, 'Upgrade') : 'Upgrade: websocket'}), so ${run.outcome}.`)
        : verdict(pitfall, 'refuted', `${received} with Upgrade: ${upgrade}.`);
    }
    case 'connection-not-set':
      return connectionTokens(atServer.headers).includes('upgrade')
        ? verdict(pitfall, 'refuted', `${received} with ${quote(atServer, 'Connection')}.`)
        : verdict(pitfall, 'confirmed', `${received} with ${quote(atServer, 'Connection')}, so ${run.outcome}.`);
    case 'host-without-port':
      return judgeHost(pitfall, run, atServer);
    case 'read-timeout':
      return judgeTimeout(pitfall, run);
    case 'server-headers-dropped':
      return judgeDropped(pitfall, run, atServer);
    case 'proxy-pass-uri': {
      const asked = run.atNginx ? pathOf(run.atNginx.target) : undefined;
      const got = pathOf(atServer.target);
      if (asked === undefined) return verdict(pitfall, 'not-run', 'The lab did not record the request the browser sent nginx.');
      return asked === got
        ? verdict(pitfall, 'refuted', `The browser asked nginx for ${asked} and ${run.server} received the same path.`)
        : verdict(pitfall, 'confirmed', `The browser asked nginx for ${asked}; ${run.server} received ${got}, and ${run.outcome}.`);
    }
  }
}

function judgeHost(pitfall: NginxPitfall, run: Run, atServer: RequestEvent): NginxPitfallVerdict {
  const sent = run.atNginx ? headerValue(run.atNginx.headers, 'host') : undefined;
  const got = headerValue(atServer.headers, 'host') ?? '';
  if (sent === undefined || !/:\d+$/.test(sent)) return verdict(pitfall, 'not-run', `The browser's Host carried no port (${sent ?? 'none'}), so there was none to drop.`);
  return /:\d+$/.test(got) || got.toLowerCase() !== sent.replace(/:\d+$/, '').toLowerCase()
    ? verdict(pitfall, 'refuted', `The browser sent Host: ${sent}; ${run.server} received Host: ${got}.`)
    : verdict(pitfall, 'confirmed', `The browser sent Host: ${sent}; ${run.server} received Host: ${got}, without the port the browser's Origin keeps.`);
}

function judgeTimeout(pitfall: NginxPitfall, run: Run): NginxPitfallVerdict {
  const timeoutMs = pitfall.timeoutMs ?? 0;
  const cut = proxyIdleTimeout.applies(run.ctx);
  if (cut) {
    const logged = run.ctx.legs.flatMap((l) => l.errors).find((e) => e.code === 'PROXY_READ_TIMEOUT');
    return verdict(pitfall, 'confirmed', logged ? `${cut.summary} ${logged.message}.` : cut.summary);
  }
  const inbound = run.ctx.inbound('nginx');
  const outbound = run.ctx.outbound('nginx');
  if (inbound?.response?.status !== 101) return verdict(pitfall, 'not-run', 'The run never upgraded, so there was no tunnel to time out.');
  const traffic = [inbound.response, ...inbound.frames, ...(outbound?.frames ?? [])].map((e) => Date.parse(e.time));
  const closes = [inbound.close, outbound?.close, run.ctx.browser.close].flatMap((c) => (c ? [Date.parse(c.time)] : []));
  const end = closes.length > 0 ? Math.min(...closes) : Date.now();
  const times = [...traffic.filter((t) => t <= end), end].sort((a, b) => a - b);
  let quiet = 0;
  for (let i = 1; i < times.length; i++) quiet = Math.max(quiet, times[i]! - times[i - 1]!);
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return quiet >= timeoutMs + TIMEOUT_SLACK_MS
    ? verdict(pitfall, 'refuted', `The tunnel was quiet for ${seconds(quiet)}, longer than the ${seconds(timeoutMs)} of proxy_read_timeout, and nginx kept it open.`)
    : verdict(pitfall, 'not-run', `The run's longest quiet spell was ${seconds(quiet)}, shorter than the ${seconds(timeoutMs)} it takes to test proxy_read_timeout.`);
}

function judgeDropped(pitfall: NginxPitfall, run: Run, atServer: RequestEvent): NginxPitfallVerdict {
  const request = run.atNginx;
  const findings = (pitfall.dropped ?? []).map(({ name, value }) => {
    const got = headerValue(atServer.headers, name);
    let expected: string | undefined;
    try {
      expected = request ? nginxValue(value, { target: request.target, headers: request.headers, clientAddress: '127.0.0.1', upstreamHost: headerValue(atServer.headers, 'host') ?? '' }) : undefined;
    } catch {
      expected = undefined; // a variable the lab does not model: judge by presence alone
    }
    const clientSent = request ? headerValue(request.headers, name) !== undefined : false;
    const arrived = expected !== undefined ? got === expected && expected !== '' : got !== undefined && !clientSent;
    const words = got === undefined ? `${name}: not received` : `${name}: ${got}`;
    return { arrived, words, expected };
  });
  const lost = findings.filter((f) => !f.arrived);
  if (lost.length === 0) return verdict(pitfall, 'refuted', `${run.server} received them as set: ${findings.map((f) => f.words).join('; ')}.`);
  return verdict(
    pitfall,
    'confirmed',
    `${run.server} received ${lost.map((f) => (f.expected !== undefined && f.expected !== '' && !f.words.endsWith('not received') ? `${f.words} (the outer line would have sent ${f.expected})` : f.words)).join('; ')}.`,
  );
}

function judgeConstantConnection(pitfall: NginxPitfall, record: RunRecord): NginxPitfallVerdict {
  if (!record.plain) return verdict(pitfall, 'not-run', 'The run sent no plain (non-WebSocket) request through the location.');
  const run = view(record.plain);
  const missing = notReached(pitfall, run);
  if (missing) return missing;
  const atServer = run.atServer!;
  const asked = run.atNginx ? `${run.atNginx.method} with ${quote(run.atNginx, 'Upgrade')}` : 'a plain GET';
  const upgrade = headerValue(atServer.headers, 'upgrade');
  return connectionTokens(atServer.headers).includes('upgrade') && upgrade === undefined
    ? verdict(pitfall, 'confirmed', `A plain request (${asked}) reached ${run.server} with ${quote(atServer, 'Connection')} and no Upgrade header: an upgrade to nothing, and ${run.outcome}.`)
    : verdict(pitfall, 'refuted', `A plain request (${asked}) reached ${run.server} with ${quote(atServer, 'Connection')}.`);
}

/** Every pitfall, judged by one run. */
export function judgePitfalls(pitfalls: readonly NginxPitfall[], record: RunRecord): NginxPitfallVerdict[] {
  return pitfalls.map((p) => judgeOne(p, record));
}
