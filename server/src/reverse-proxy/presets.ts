// Reverse-proxy presets: each is a named nginx `location` (DESIGN.md, "Reverse-proxy presets,
// measured against nginx 1.22.1"), kept as data. The config text the UI shows and the headers
// the bundled proxy sends come from the same fields, so they cannot drift apart; the parity
// test holds both against real nginx.

import type { PresetInfo } from '../api/types.ts';
import { mapsUsedBy, NGINX_MAPS } from './presets-nginx.ts';

export { upstreamRequest, type UpstreamInput, type UpstreamRequest } from './presets-request.ts';
export { downstreamResponse, LAB_SERVER, type DownstreamInfo, type ProxiedResponse } from './presets-response.ts';

/** The upstream the displayed config names: the echo server on its default port. */
export const DEFAULT_UPSTREAM = '127.0.0.1:8089';
export const DEFAULT_IDLE_TIMEOUT_MS = 2000;

/**
 * `nginx`: behaves exactly as nginx 1.22 does with the preset's directives.
 * `rfc9110-strict`: does exactly RFC 9110 §7.6.1 and §7.8; its nginx text is the nearest
 * nginx config, and its comment says what nginx cannot express.
 */
export type PresetBehaviour = 'nginx' | 'rfc9110-strict';

export interface Preset {
  name: string;
  /** One sentence for the UI. */
  description: string;
  /** The `location` block, as a user would write it, for the default upstream. */
  nginxLocation: string;
  /** `http`-level blocks (a `map`) the location relies on. */
  nginxHttp?: string;
  /** `proxy_read_timeout`: nginx cuts a tunnel idle for this long. */
  idleTimeoutMs?: number;
  /** `proxy_http_version`: nginx speaks HTTP/1.0 upstream unless told otherwise. */
  upstreamHttpVersion: '1.0' | '1.1';
  /** Whether a browser's handshake through this preset reaches the echo server as an upgrade (101). */
  upgrades: boolean;
  /** `proxy_set_header` directives in order: name, and the value as written in nginx.conf. */
  setHeaders: readonly (readonly [name: string, value: string])[];
  /** Comment lines the location block starts with. */
  comment?: readonly string[];
  behaviour: PresetBehaviour;
}

type PresetSpec = Omit<Preset, 'nginxLocation' | 'nginxHttp'>;

const WEBSOCKET_RECIPE = [
  ['Upgrade', '$http_upgrade'],
  ['Connection', '"upgrade"'],
] as const;

/** nginx's time syntax: `2s`, `1500ms`, `5m`, `1h`. */
export function nginxTime(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function seconds(ms: number): string {
  return `${ms / 1000} s`;
}

/**
 * The `location` block for a preset, proxying to `upstreamHost` (`host:port`). `at` puts it
 * at another path, and `uri` gives proxy_pass a URI part (which replaces that path upstream).
 */
export function renderNginxLocation(preset: PresetSpec, upstreamHost = DEFAULT_UPSTREAM, at: { path?: string; uri?: string } = {}): string {
  const lines = [`location ${at.path ?? `/${preset.name}/`} {`];
  for (const line of preset.comment ?? []) lines.push(`    # ${line}`);
  lines.push(`    proxy_pass http://${upstreamHost}${at.uri ?? ''};`);
  if (preset.upstreamHttpVersion === '1.1') lines.push('    proxy_http_version 1.1;');
  for (const [name, value] of preset.setHeaders) lines.push(`    proxy_set_header ${name} ${value};`);
  if (preset.idleTimeoutMs !== undefined) lines.push(`    proxy_read_timeout ${nginxTime(preset.idleTimeoutMs)};`);
  lines.push('}');
  return lines.join('\n');
}

/** The `http`-level blocks a preset needs, or undefined when it needs none. */
export function renderNginxHttp(preset: PresetSpec): string | undefined {
  const maps = mapsUsedBy(preset.setHeaders.map(([, value]) => value));
  return maps.length === 0 ? undefined : maps.map((name) => NGINX_MAPS[name].text).join('\n');
}

function definePreset(spec: PresetSpec): Preset {
  const nginxHttp = renderNginxHttp(spec);
  return { ...spec, nginxLocation: renderNginxLocation(spec), ...(nginxHttp === undefined ? {} : { nginxHttp }) };
}

/** `nginx-idle-timeout` with its `proxy_read_timeout` set to `ms`. */
export function idleTimeoutPreset(ms = DEFAULT_IDLE_TIMEOUT_MS): Preset {
  if (!Number.isInteger(ms) || ms <= 0) throw new RangeError(`idle timeout must be a positive whole number of ms, not ${ms}`);
  return definePreset({
    name: 'nginx-idle-timeout',
    description: `The WebSocket recipe with proxy_read_timeout ${nginxTime(ms)}: nginx cuts a tunnel idle for ${seconds(ms)} without a close frame, so the browser sees 1006.`,
    upstreamHttpVersion: '1.1',
    upgrades: true,
    setHeaders: WEBSOCKET_RECIPE,
    idleTimeoutMs: ms,
    behaviour: 'nginx',
  });
}

/** Every preset, in the order the UI lists them. */
export function createPresets(options: { idleTimeoutMs?: number } = {}): Preset[] {
  return [
    definePreset({
      name: 'nginx-websocket',
      description: 'The documented nginx WebSocket recipe: HTTP/1.1 upstream with Upgrade and Connection set again, so the upgrade reaches the server.',
      upstreamHttpVersion: '1.1',
      upgrades: true,
      setHeaders: WEBSOCKET_RECIPE,
      behaviour: 'nginx',
    }),
    definePreset({
      name: 'nginx-seed',
      description: 'The recipe without proxy_http_version 1.1: nginx asks for the upgrade over HTTP/1.0, which RFC 6455 §4.1 forbids but lenient servers accept.',
      upstreamHttpVersion: '1.0',
      upgrades: true,
      setHeaders: [
        ['Upgrade', '$http_upgrade'],
        ['Connection', '"Upgrade"'],
      ],
      behaviour: 'nginx',
    }),
    definePreset({
      name: 'nginx-default',
      description: "With proxy_pass alone, nginx drops the browser's Upgrade and sends Connection: close over HTTP/1.0, so the server never sees an upgrade.",
      upstreamHttpVersion: '1.0',
      upgrades: false,
      setHeaders: [],
      behaviour: 'nginx',
    }),
    definePreset({
      name: 'nginx-missing-connection',
      description: "HTTP/1.1 and Upgrade are forwarded, but Connection stays at nginx's default close, so the server sees no upgrade request.",
      upstreamHttpVersion: '1.1',
      upgrades: false,
      setHeaders: [['Upgrade', '$http_upgrade']],
      behaviour: 'nginx',
    }),
    definePreset({
      name: 'nginx-forwarded',
      description: 'The WebSocket recipe plus the usual forwarding headers: Host from $host (which drops the port), X-Real-IP, an appended X-Forwarded-For and X-Forwarded-Proto.',
      upstreamHttpVersion: '1.1',
      upgrades: true,
      setHeaders: [
        ['Upgrade', '$http_upgrade'],
        ['Connection', '$connection_upgrade'],
        ['Host', '$host'],
        ['X-Real-IP', '$remote_addr'],
        ['X-Forwarded-For', '$proxy_add_x_forwarded_for'],
        ['X-Forwarded-Proto', '$scheme'],
      ],
      behaviour: 'nginx',
    }),
    idleTimeoutPreset(options.idleTimeoutMs),
    definePreset({
      name: 'rfc9110-strict',
      description: 'A proxy doing exactly RFC 9110 §7.6.1 and §7.8: it drops every hop-by-hop field, including those named in Connection, and asks the next hop for the upgrade anew.',
      upstreamHttpVersion: '1.1',
      upgrades: true,
      comment: [
        "The nearest nginx gets to RFC 9110 §7.6.1 and §7.8. It cannot drop the fields",
        "a client names in Connection, keep Expect or the client's field order, or",
        'refuse an upgrade that Connection or HTTP/1.0 did not ask for; the lab proxy can.',
      ],
      setHeaders: [
        ['Host', '$http_host'],
        ['Upgrade', '$strict_upgrade'],
        ['Connection', '$strict_connection'],
        ['Proxy-Connection', '""'],
        ['Proxy-Authorization', '""'],
      ],
      behaviour: 'rfc9110-strict',
    }),
  ];
}

export const PRESETS: readonly Preset[] = createPresets();

/** The preset's whole config as the UI shows it: `http`-level maps, then the location. */
export function presetConfigText(preset: Preset, upstreamHost = DEFAULT_UPSTREAM): string {
  const location = renderNginxLocation(preset, upstreamHost);
  return preset.nginxHttp === undefined ? location : `${preset.nginxHttp}\n\n${location}`;
}

export function presetInfo(presets: readonly Preset[] = PRESETS, upstreamHost = DEFAULT_UPSTREAM): PresetInfo[] {
  return presets.map((p) => ({ name: p.name, description: p.description, nginxConfig: presetConfigText(p, upstreamHost) }));
}

/**
 * The preset a request path is routed to: `/<preset>/<any path>` → that preset, and the rest
 * of the path. Matched on the normalized path, as nginx matches a prefix `location`; the
 * request still goes upstream unchanged. `/<preset>` alone matches nothing (nginx answers
 * it with a 301 to `/<preset>/`).
 */
export function findPreset(
  pathname: string,
  presets: readonly Preset[] = PRESETS,
): { preset: Preset; rest: string } | undefined {
  const path = normalizePath(pathname);
  for (const preset of presets) {
    const prefix = `/${preset.name}/`;
    if (path.startsWith(prefix)) return { preset, rest: path.slice(prefix.length - 1) };
  }
  return undefined;
}

/** nginx's URI normalization for location matching: decoded, dot segments resolved, slashes merged. */
function normalizePath(pathname: string): string {
  const query = pathname.search(/[?#]/);
  const raw = query === -1 ? pathname : pathname.slice(0, query);
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // A malformed escape stays as sent; nginx would refuse the request with 400.
  }
  const out: string[] = [];
  const segments = decoded.split('/').slice(1);
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === '..') out.pop();
    if (segment === '.' || segment === '..') {
      if (last) out.push('');
      return;
    }
    if (segment !== '' || last) out.push(segment);
  });
  return `/${out.join('/')}`;
}
