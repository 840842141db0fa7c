import type { ConnectionMeta, Route } from '../transcript/types.ts';
import type { BrowserReport, EchoAction } from './types.ts';

// Runtime checks for what the browser posts: every field is read from `unknown`, never cast.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const ROUTES: readonly Route[] = ['direct', 'reverse-proxy', 'nginx', 'forward-proxy'];
const MAX_TEXT = 4096;

function text(o: Obj, key: string, fallback?: string): string | undefined {
  const v = o[key] ?? fallback;
  return typeof v === 'string' && v.length <= MAX_TEXT ? v : undefined;
}

function meta(v: unknown): ConnectionMeta | string {
  if (!isObj(v)) return 'meta must be an object with url and route';
  const url = text(v, 'url');
  if (url === undefined) return 'meta.url must be a string';
  const route = v['route'];
  if (typeof route !== 'string' || !ROUTES.includes(route as Route)) return `meta.route must be one of ${ROUTES.join(', ')}`;
  const preset = v['preset'];
  if (preset !== undefined && typeof preset !== 'string') return 'meta.preset must be a string';
  return preset === undefined ? { url, route: route as Route } : { url, route: route as Route, preset };
}

export function parseBrowserReport(v: unknown): BrowserReport | string {
  if (!isObj(v)) return 'the report must be a JSON object';
  const m = meta(v['meta']);
  if (typeof m === 'string') return m;
  switch (v['kind']) {
    case 'start':
      return { kind: 'start', meta: m };
    case 'open': {
      const protocol = text(v, 'protocol', '');
      const extensions = text(v, 'extensions', '');
      if (protocol === undefined || extensions === undefined) return 'open needs protocol and extensions strings';
      return { kind: 'open', meta: m, protocol, extensions };
    }
    case 'close': {
      const code = v['code'];
      const reason = text(v, 'reason', '');
      const wasClean = v['wasClean'];
      if (typeof code !== 'number' || !Number.isInteger(code) || reason === undefined || typeof wasClean !== 'boolean') {
        return 'close needs an integer code, a reason string and a wasClean boolean';
      }
      return { kind: 'close', meta: m, code, reason, wasClean };
    }
    case 'error': {
      const code = text(v, 'code', 'error');
      const message = text(v, 'message', '');
      if (code === undefined || message === undefined) return 'error needs code and message strings';
      return { kind: 'error', meta: m, code, message };
    }
    default:
      return 'kind must be start, open, close or error';
  }
}

export function parseEchoAction(v: unknown): EchoAction | string {
  if (!isObj(v)) return 'the action must be a JSON object';
  switch (v['action']) {
    case 'close': {
      const code = v['code'];
      const reason = v['reason'];
      if (code !== undefined && (typeof code !== 'number' || !Number.isInteger(code))) return 'close code must be an integer';
      if (reason !== undefined && typeof reason !== 'string') return 'close reason must be a string';
      return { action: 'close', ...(code === undefined ? {} : { code }), ...(reason === undefined ? {} : { reason }) };
    }
    case 'ping': {
      const payload = v['payload'];
      if (payload !== undefined && typeof payload !== 'string') return 'ping payload must be a string';
      return payload === undefined ? { action: 'ping' } : { action: 'ping', payload };
    }
    case 'fragment': {
      const count = v['count'];
      if (typeof count !== 'number') return 'fragment needs a count';
      return { action: 'fragment', count };
    }
    case 'terminate':
      return { action: 'terminate' };
    default:
      return 'action must be close, ping, fragment or terminate';
  }
}
