// A HAR (saved by Chrome DevTools, or by the lab) read as a transcript: each WebSocket entry
// becomes a connection whose events the browser alone observed, as a HAR only holds what the
// browser saw: the handshake's headers, and whole messages (no frame headers, no hops).
import type { Connection, FrameEvent, HeaderList, LabEvent, Transcript } from '../transcript/types.ts';
import { TRANSCRIPT_FORMAT } from '../transcript/types.ts';
import type { Har, HarEntry, HarNameValue } from './types.ts';
import { harProblems } from './validate.ts';

const headerList = (list: HarNameValue[]): HeaderList => list.map(({ name, value }) => [name, value]);
const version = (v: string) => v.replace(/^HTTP\//i, '');

export function isWebSocketEntry(entry: HarEntry): boolean {
  return entry._resourceType === 'websocket' || entry._webSocketMessages !== undefined || /^wss?:/i.test(entry.request.url);
}

function connection(entry: HarEntry, index: number): Connection {
  let seq = 0;
  const at = (ms: number) => new Date(ms).toISOString();
  const start = Date.parse(entry.startedDateTime);
  const seen = { observer: 'browser' as const };
  const events: LabEvent[] = [
    { kind: 'request', ...seen, from: 'browser', to: 'echo', seq: ++seq, time: at(start), method: entry.request.method, target: targetOf(entry.request.url), httpVersion: version(entry.request.httpVersion), headers: headerList(entry.request.headers) },
  ];
  if (entry.response.status > 0) {
    const { response } = entry;
    events.push({ kind: 'response', ...seen, from: 'echo', to: 'browser', seq: ++seq, time: at(start + Math.max(0, entry.timings.wait)), status: response.status, reason: response.statusText, httpVersion: version(response.httpVersion), headers: headerList(response.headers) });
  }
  for (const m of entry._webSocketMessages ?? []) {
    if (m.type === 'error' || m.opcode < 0) {
      events.push({ kind: 'error', ...seen, from: 'echo', to: 'browser', seq: ++seq, time: at(Math.round(m.time * 1000)), code: 'websocket-error', message: m.data });
      continue;
    }
    const bytes = m.opcode === 1 ? Buffer.from(m.data, 'utf8') : Buffer.from(m.data, 'base64');
    const send = m.type === 'send';
    const frame: FrameEvent = {
      kind: 'frame', ...seen, from: send ? 'browser' : 'echo', to: send ? 'echo' : 'browser', seq: ++seq, time: at(Math.round(m.time * 1000)),
      // A HAR holds whole messages: FIN set, no extension bits; a browser masks every frame it sends.
      fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: m.opcode, masked: send, length: bytes.length, payload: bytes.toString('base64'), truncated: false,
    };
    events.push(frame);
  }
  return { id: `har-${index + 1}`, url: entry.request.url, route: 'direct', startedAt: at(start), events };
}

function targetOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  } catch {
    return url;
  }
}

/** Whether `value` looks like a HAR rather than a transcript: it has a `log` and no transcript `format`. */
export function looksLikeHar(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'log' in value && !('format' in value);
}

/** The WebSocket connections of a HAR, or the first problem with it. */
export function harToTranscript(value: unknown, limits: { maxEvents: number; maxConnections: number }): Transcript | { error: string } {
  const problems = harProblems(value, 1);
  if (problems.length > 0) return { error: `not a HAR 1.2 file: ${problems[0]}` };
  const entries = (value as Har).log.entries.filter(isWebSocketEntry);
  if (entries.length === 0) {
    return { error: 'the HAR holds no WebSocket (no entry with _resourceType "websocket" or a ws:// URL): in Chrome DevTools, save it from the Network panel after the WebSocket opened' };
  }
  if (entries.length > limits.maxConnections) return { error: `log.entries holds ${entries.length} WebSockets; a session keeps at most ${limits.maxConnections}` };
  const events = entries.reduce((n, e) => n + 2 + (e._webSocketMessages?.length ?? 0), 0);
  if (events > limits.maxEvents) return { error: `the HAR's WebSockets hold ${events} messages and handshakes; a session keeps at most ${limits.maxEvents}` };
  return { format: TRANSCRIPT_FORMAT, version: 1, session: 'har', connections: entries.map(connection) };
}
