// Reads a transcript file (as `GET /api/sessions/:session/transcript` writes it) from `unknown`,
// field by field: the first field that is wrong is named in the error, with what it should be.
import type { Connection, Dropped, Party, Route, Transcript } from './types.ts';
import { TRANSCRIPT_FORMAT } from './types.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const PARTIES: readonly Party[] = ['browser', 'reverse-proxy', 'nginx', 'forward-proxy', 'echo'];
const ROUTES: readonly Route[] = ['direct', 'reverse-proxy', 'nginx', 'forward-proxy'];
const KINDS = ['request', 'response', 'frame', 'connect', 'close', 'error', 'open'] as const;

/** Thrown with the path of the first bad field; caught by validateTranscript. */
class Bad extends Error {}

function fail(path: string, what: string): never {
  throw new Bad(`${path} ${what}`);
}

function str(o: Obj, key: string, path: string, optional = false): void {
  const v = o[key];
  if (v === undefined && optional) return;
  if (typeof v !== 'string') fail(`${path}.${key}`, `must be a string${v === undefined ? ' (it is missing)' : `, not ${kindOf(v)}`}`);
}

function int(o: Obj, key: string, path: string, min: number, max: number, optional = false): void {
  const v = o[key];
  if (v === undefined && optional) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    fail(`${path}.${key}`, `must be a whole number from ${min} to ${max}${v === undefined ? ' (it is missing)' : `, not ${JSON.stringify(v)}`}`);
  }
}

function bool(o: Obj, key: string, path: string): void {
  if (typeof o[key] !== 'boolean') fail(`${path}.${key}`, `must be true or false${o[key] === undefined ? ' (it is missing)' : `, not ${JSON.stringify(o[key])}`}`);
}

function oneOf(o: Obj, key: string, path: string, allowed: readonly string[], optional = false): void {
  const v = o[key];
  if (v === undefined && optional) return;
  if (typeof v !== 'string' || !allowed.includes(v)) fail(`${path}.${key}`, `must be one of ${allowed.join(', ')}, not ${JSON.stringify(v)}`);
}

function base64(o: Obj, key: string, path: string, optional = false): void {
  str(o, key, path, optional);
  const v = o[key];
  if (typeof v === 'string' && !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) fail(`${path}.${key}`, 'must be base64');
}

function headers(o: Obj, key: string, path: string): void {
  const v = o[key];
  if (!Array.isArray(v)) fail(`${path}.${key}`, 'must be a list of [name, value] pairs');
  v.forEach((h, i) => {
    if (!Array.isArray(h) || h.length !== 2 || typeof h[0] !== 'string' || typeof h[1] !== 'string') {
      fail(`${path}.${key}[${i}]`, 'must be a [name, value] pair of strings');
    }
  });
}

function kindOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v;
}

function event(v: unknown, path: string): void {
  if (!isObj(v)) fail(path, `must be an object, not ${kindOf(v)}`);
  oneOf(v, 'kind', path, KINDS);
  int(v, 'seq', path, 0, Number.MAX_SAFE_INTEGER);
  str(v, 'time', path);
  for (const party of ['observer', 'from', 'to']) oneOf(v, party, path, PARTIES);
  switch (v['kind'] as (typeof KINDS)[number]) {
    case 'request':
      for (const k of ['method', 'target', 'httpVersion']) str(v, k, path);
      return headers(v, 'headers', path);
    case 'response':
      int(v, 'status', path, 100, 999);
      str(v, 'reason', path);
      str(v, 'httpVersion', path);
      str(v, 'body', path, true);
      return headers(v, 'headers', path);
    case 'frame':
      for (const k of ['fin', 'rsv1', 'rsv2', 'rsv3', 'masked', 'truncated']) bool(v, k, path);
      int(v, 'opcode', path, 0, 15);
      int(v, 'length', path, 0, Number.MAX_SAFE_INTEGER);
      str(v, 'maskKey', path, true);
      base64(v, 'payload', path);
      base64(v, 'inflated', path, true);
      int(v, 'inflatedLength', path, 0, Number.MAX_SAFE_INTEGER, true);
      if (v['close'] !== undefined) {
        const close = v['close'];
        if (!isObj(close)) fail(`${path}.close`, 'must be an object with code and reason');
        int(close, 'code', `${path}.close`, 0, 65535, true);
        str(close, 'reason', `${path}.close`);
      }
      return;
    case 'connect':
      str(v, 'target', path);
      return headers(v, 'headers', path);
    case 'close':
      int(v, 'code', path, 0, 65535);
      str(v, 'reason', path);
      return bool(v, 'wasClean', path);
    case 'error':
      str(v, 'code', path);
      return str(v, 'message', path);
    case 'open':
      str(v, 'protocol', path);
      return str(v, 'extensions', path);
  }
}

function connection(v: unknown, path: string, limits: ImportLimits, count: { events: number }): Connection {
  if (!isObj(v)) fail(path, `must be an object, not ${kindOf(v)}`);
  str(v, 'id', path);
  str(v, 'url', path);
  oneOf(v, 'route', path, ROUTES);
  oneOf(v, 'chosenRoute', path, ROUTES, true);
  str(v, 'preset', path, true);
  str(v, 'startedAt', path);
  str(v, 'restoredAt', path, true);
  if (v['upstream'] !== undefined) {
    const up = v['upstream'];
    if (!isObj(up)) fail(`${path}.upstream`, 'must be an object with name and url');
    str(up, 'name', `${path}.upstream`);
    str(up, 'url', `${path}.upstream`);
  }
  const events = v['events'];
  if (!Array.isArray(events)) fail(`${path}.events`, `must be a list of events${events === undefined ? ' (it is missing)' : ''}`);
  count.events += events.length;
  if (count.events > limits.maxEvents) fail(`${path}.events`, `brings the file past ${limits.maxEvents} events, the most one session keeps`);
  events.forEach((e, i) => event(e, `${path}.events[${i}]`));
  // Findings are the lab's reading of the events: computed again whenever the transcript is read.
  const { findings: _findings, ...rest } = v;
  return rest as unknown as Connection;
}

export interface ImportLimits {
  maxEvents: number;
  maxConnections: number;
}

/** The transcript in `value`, or the first thing wrong with it. */
export function validateTranscript(value: unknown, limits: ImportLimits): Transcript | { error: string } {
  try {
    if (!isObj(value)) fail('the file', `must be a JSON object, not ${kindOf(value)}`);
    if (value['format'] !== TRANSCRIPT_FORMAT) {
      fail('format', `must be "${TRANSCRIPT_FORMAT}", not ${JSON.stringify(value['format'])}: this is not a transcript the lab exported`);
    }
    if (value['version'] !== 1) fail('version', `must be 1, not ${JSON.stringify(value['version'])}: this lab reads version 1 transcripts`);
    str(value, 'session', 'transcript');
    const list = value['connections'];
    if (!Array.isArray(list)) fail('connections', 'must be a list');
    if (list.length > limits.maxConnections) fail('connections', `has ${list.length} connections; a session keeps at most ${limits.maxConnections}`);
    const count = { events: 0 };
    const connections = list.map((c, i) => connection(c, `connections[${i}]`, limits, count));
    const ids = new Set<string>();
    connections.forEach((c, i) => {
      if (ids.has(c.id)) fail(`connections[${i}].id`, `repeats ${JSON.stringify(c.id)}: each connection's id must be unique`);
      ids.add(c.id);
    });
    const transcript: Transcript = { format: TRANSCRIPT_FORMAT, version: 1, session: value['session'] as string, connections };
    const dropped = value['dropped'];
    if (dropped !== undefined) {
      if (!isObj(dropped)) fail('dropped', 'must be an object with events and payloadBytes');
      int(dropped, 'events', 'dropped', 0, Number.MAX_SAFE_INTEGER);
      int(dropped, 'payloadBytes', 'dropped', 0, Number.MAX_SAFE_INTEGER);
      transcript.dropped = { events: dropped['events'], payloadBytes: dropped['payloadBytes'] } as Dropped;
    }
    return transcript;
  } catch (err) {
    if (err instanceof Bad) return { error: err.message };
    throw err;
  }
}
