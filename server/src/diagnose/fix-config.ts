// The corrected nginx `location` for a finding whose fix is a proxy configuration change,
// derived from the preset the connection used: the same data the bundled proxy runs and real
// nginx is configured from, with one change. The UI shows it as a diff against the preset.
import { DEFAULT_UPSTREAM, PRESETS, renderNginxLocation, type Preset } from '../reverse-proxy/presets.ts';
import { headerValue } from '../wire/http-head.ts';
import type { DiagnoseContext } from './context.ts';

/** One change to a preset's directives. */
export type ConfigChange = (preset: Preset) => Preset;

/** The value as written in nginx.conf for `name`, replaced where set, else added after `after` (or last). */
function setHeader(preset: Preset, name: string, value: string, after?: string): Preset {
  const headers = [...preset.setHeaders];
  const at = headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
  if (at !== -1) headers[at] = [headers[at]![0], value];
  else {
    const anchor = after === undefined ? -1 : headers.findIndex(([n]) => n.toLowerCase() === after.toLowerCase());
    headers.splice(anchor === -1 ? headers.length : anchor + 1, 0, [name, value]);
  }
  return { ...preset, setHeaders: headers };
}

/** `proxy_http_version 1.1;`: nginx speaks HTTP/1.0 upstream unless told. */
export const http11: ConfigChange = (preset) => ({ ...preset, upstreamHttpVersion: '1.1' });

/** The documented WebSocket recipe: HTTP/1.1, and Upgrade and Connection set again (they are hop-by-hop). */
export const websocketRecipe: ConfigChange = (preset) => {
  let fixed = http11(preset);
  if (!fixed.setHeaders.some(([n]) => n.toLowerCase() === 'upgrade')) fixed = { ...fixed, setHeaders: [['Upgrade', '$http_upgrade'], ...fixed.setHeaders] };
  const connection = fixed.setHeaders.find(([n]) => n.toLowerCase() === 'connection')?.[1];
  // A map that answers "upgrade" for an upgrade request is as good as the literal.
  if (connection === undefined || !/upgrade/i.test(connection)) fixed = setHeader(fixed, 'Connection', '"upgrade"', 'Upgrade');
  return fixed;
};

/** `Host $http_host`: the Host the browser sent, port included, instead of `$host`. */
export const hostAsSent: ConfigChange = (preset) => setHeader(preset, 'Host', '$http_host');

/** A read timeout longer than any quiet spell the application has: an hour. */
export const longReadTimeout: ConfigChange = (preset) => ({ ...preset, idleTimeoutMs: 60 * 60 * 1000 });

/** `proxy_set_header Name "";` for each header nginx should not forward. */
export const clearHeaders =
  (names: readonly string[]): ConfigChange =>
  (preset) =>
    names.reduce((p, name) => setHeader(p, name, '""'), preset);

/**
 * The upstream the connection's config names in proxy_pass: nginx sends it as Host
 * (`$proxy_host`) unless the preset sets Host itself; else the lab's default echo server.
 */
function upstreamOf(ctx: DiagnoseContext, preset: Preset): string {
  const setsHost = preset.setHeaders.some(([n]) => n.toLowerCase() === 'host');
  const host = setsHost ? undefined : headerValue(ctx.echo?.request?.headers ?? [], 'host');
  return host !== undefined && /:\d+$/.test(host) ? host : DEFAULT_UPSTREAM;
}

/**
 * `{ fixConfig }` for spreading into a finding: the connection's preset with `change` made,
 * as a whole `location` block. Empty when the connection went through no preset.
 */
export function fixConfigFor(ctx: DiagnoseContext, change: ConfigChange): { fixConfig?: string } {
  if (ctx.preset === undefined || !ctx.proxies.some((p) => p === 'reverse-proxy' || p === 'nginx')) return {};
  const preset = PRESETS.find((p) => p.name === ctx.preset);
  if (!preset) return {};
  return { fixConfig: renderNginxLocation(change(preset), upstreamOf(ctx, preset)) };
}
