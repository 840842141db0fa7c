import type { Route } from '../../../../server/src/transcript/types.ts';
import type { LabInfo } from '../../../../server/src/api/types.ts';
import type { ConnectForm } from '../../store/index.ts';

/** One choice of the route selector, built from `GET /api/info`. */
export interface RouteOption {
  key: string;
  route: Route;
  preset?: string;
  label: string;
  port?: number;
  /** Why this route cannot be used now; the option is shown disabled with this text. */
  unavailable?: string;
  /** `--upstream`: the user's own server this route reaches, the prefix its URLs start with, and the server's own path. */
  upstream?: { name: string; url: string; prefix: string; path: string };
  /** The option group it is listed under, when not its route's. */
  group?: string;
  /** `wss`: over TLS, to one of the lab's TLS listeners. */
  scheme?: 'wss';
  /** The host to dial instead of the lab's (`localhost`, so that the TLS ClientHello carries a server name). */
  host?: string;
}

export function routeOptions(info: LabInfo): RouteOption[] {
  const options: RouteOption[] = [{ key: 'direct', route: 'direct', label: `Direct to the echo server (:${info.ports.echo})`, port: info.ports.echo }];
  const { proxy, nginx, forwardProxy } = info.ports;
  if (proxy !== undefined) {
    for (const p of info.presets) {
      options.push({ key: `reverse-proxy:${p.name}`, route: 'reverse-proxy', preset: p.name, label: `Reverse proxy (:${proxy}) · ${p.name}`, port: proxy });
    }
  }
  for (const p of info.presets) {
    const option: RouteOption = { key: `nginx:${p.name}`, route: 'nginx', preset: p.name, label: `nginx${nginx ? ` (:${nginx})` : ''} · ${p.name}` };
    if (info.nginx.available && nginx !== undefined) option.port = nginx;
    else option.unavailable = info.nginx.reason ?? 'nginx is not running in this lab.';
    options.push(option);
  }
  options.push(...upstreamOptions(info));
  if (forwardProxy !== undefined) {
    options.push({ key: 'forward-proxy', route: 'forward-proxy', label: `Forward proxy (:${forwardProxy}) · needs browser proxy settings`, port: info.ports.echo });
  }
  options.push(...tlsOptions(info));
  return options;
}

/** wss:// to the lab's TLS listeners: the echo server, the reverse proxy terminating TLS, and through the forward proxy. */
function tlsOptions(info: LabInfo): RouteOption[] {
  const { echoTls, proxyTls, forwardProxy } = info.ports;
  const options: RouteOption[] = [];
  const group = 'Over TLS (wss://)';
  if (echoTls !== undefined) options.push({ key: 'direct+wss', route: 'direct', scheme: 'wss', group, label: `Direct to the echo server (wss://:${echoTls})`, port: echoTls });
  if (proxyTls !== undefined) {
    for (const p of info.presets) {
      options.push({ key: `reverse-proxy+wss:${p.name}`, route: 'reverse-proxy', preset: p.name, scheme: 'wss', group, label: `Reverse proxy terminating TLS (wss://:${proxyTls}) · ${p.name}`, port: proxyTls });
    }
  }
  const pagePort = typeof window !== 'undefined' ? window.location.port : '';
  if (info.ports.h2NoConnect !== undefined && pagePort === String(info.ports.h2NoConnect)) {
    // This page's own HTTP/2 server does not advertise SETTINGS_ENABLE_CONNECT_PROTOCOL: Chromium falls back to a new HTTP/1.1 connection.
    options.push({ key: 'direct+h2', route: 'direct', scheme: 'wss', group, label: `This page's origin (wss://:${pagePort}) · HTTP/2 without the CONNECT setting: falls back to HTTP/1.1`, port: info.ports.h2NoConnect });
  } else if (info.ports.h2 !== undefined) {
    // Chromium opens it as an extended CONNECT stream on the page's own HTTP/2 connection (RFC 8441) when the page came from there.
    const samePage = pagePort === String(info.ports.h2);
    const label = `Direct over HTTP/2 (wss://:${info.ports.h2})${samePage ? ' · extended CONNECT on this page\'s connection' : ' · open the page at https://…:' + info.ports.h2 + '/ for HTTP/2'}`;
    options.push({ key: 'direct+h2', route: 'direct', scheme: 'wss', group, label, port: info.ports.h2 });
  }
  if (echoTls !== undefined && forwardProxy !== undefined) {
    // By name, not address: a client sends no server name (SNI) for an IP address (RFC 6066 §3), and the proxy would read none.
    const host = ['127.0.0.1', 'localhost', '::1'].includes(info.host) ? 'localhost' : undefined;
    options.push({ key: 'forward-proxy+wss', route: 'forward-proxy', scheme: 'wss', group, label: `Forward proxy (:${forwardProxy}) to the echo server (wss://${host ?? ''}:${echoTls}) · needs browser proxy settings`, port: echoTls, ...(host ? { host } : {}) });
  }
  return options;
}

/**
 * `--upstream`s: `/upstream/<name>/<path>` on the proxy port passes through; `/upstream/<name>/<preset>/<path>`
 * behaves as the preset, on the proxy port and through real nginx (the server receives `/<path>`).
 */
function upstreamOptions(info: LabInfo): RouteOption[] {
  const options: RouteOption[] = [];
  const { proxy, nginx } = info.ports;
  for (const u of info.upstreams ?? []) {
    const upstream = { name: u.name, url: u.url, prefix: `/upstream/${u.name}`, path: u.path };
    if (proxy !== undefined) {
      const group = `Your server ${u.name} · bundled proxy`;
      options.push({ key: `reverse-proxy:upstream:${u.name}`, route: 'reverse-proxy', upstream, group, label: `pass-through → ${u.url}`, port: proxy });
      for (const p of info.presets) {
        options.push({ key: `reverse-proxy:upstream:${u.name}:${p.name}`, route: 'reverse-proxy', preset: p.name, upstream: { ...upstream, prefix: `${upstream.prefix}/${p.name}` }, group, label: `${p.name} → ${u.url}`, port: proxy });
      }
    }
    for (const p of info.presets) {
      const option: RouteOption = { key: `nginx:upstream:${u.name}:${p.name}`, route: 'nginx', preset: p.name, upstream: { ...upstream, prefix: `${upstream.prefix}/${p.name}` }, group: `Your server ${u.name} · real nginx`, label: `${p.name} → ${u.url}` };
      if (info.nginx.available && nginx !== undefined) option.port = nginx;
      else option.unavailable = info.nginx.reason ?? 'nginx is not running in this lab.';
      options.push(option);
    }
  }
  return options;
}

/** The host the browser should dial: the lab's, unless it listens on every interface. */
export function labHost(info: LabInfo): string {
  const wildcard = !info.host || info.host === '0.0.0.0' || info.host === '::';
  const host = wildcard ? window.location.hostname : info.host;
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export function parseSubprotocols(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Like encodeURIComponent, but leaves `,` `:` `/` readable: all are allowed in a query (RFC 3986 §3.4). */
function encodeParam(value: string): string {
  return encodeURIComponent(value).replace(/%2C/gi, ',').replace(/%3A/gi, ':').replace(/%2F/gi, '/');
}

/** The exact URL the browser will open: route, preset path and the echo server's parameters. */
export function buildWebSocketUrl(option: RouteOption, form: ConnectForm, host: string, session: string, conn: string): string {
  const params: [string, string][] = [
    ['lab', session],
    ['conn', conn],
  ];
  // The user's own server: its own path, and none of the echo server's parameters.
  host = option.host ?? host;
  if (option.upstream) return `ws://${host}:${option.port ?? 0}${option.upstream.prefix}${option.upstream.path}?${params.map(([k, v]) => `${k}=${encodeParam(v)}`).join('&')}`;
  const path = option.preset && option.route !== 'forward-proxy' ? `/${option.preset}/echo` : '/echo';
  const protocols = parseSubprotocols(form.subprotocols);
  if (form.serverAcceptsProtocols && protocols.length > 0) params.push(['protocols', protocols.join(',')]);
  if (form.deflate) params.push(['deflate', 'on']);
  if (form.heartbeat.trim()) params.push(['heartbeat', form.heartbeat.trim()]);
  if (form.origin.trim()) params.push(['origin', form.origin.trim()]);
  if (form.strict) params.push(['strict', '1']);
  if (form.fault) params.push(['fault', form.fault]);
  const query = params.map(([k, v]) => `${k}=${encodeParam(v)}`).join('&');
  return `${option.scheme ?? 'ws'}://${host}:${option.port ?? 0}${path}?${query}`;
}
