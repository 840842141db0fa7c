// The echo server refused the upgrade because the request it received was not an upgrade
// request any more: Upgrade or Connection missing, or HTTP/1.0. Usually a proxy did that,
// and the recorded request on each side of the proxy shows which one.
import type { Party, RequestEvent } from '../../transcript/types.ts';
import { headerValue } from '../../wire/http-head.ts';
import type { DiagnoseContext } from '../context.ts';
import {
  andBrowser,
  belowHttp11,
  connectionHasUpgrade,
  hasHeader,
  nameOf,
  NameOf,
  proxyLost,
  quoteHeader,
  upgradesToWebSocket,
  type ProxyChange,
} from '../facts.ts';
import type { Rule } from '../rule.ts';
import { fixConfigFor, http11, websocketRecipe } from '../fix-config.ts';

export const NGINX_WEBSOCKET_RECIPE =
  'proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade";';
export const NGINX_WEBSOCKET_DOCS = 'nginx docs: WebSocket proxying (proxy_http_version, proxy_set_header Upgrade/Connection)';

/** The echo server's refusal with this status, with the request it refused. */
export function refusal(ctx: DiagnoseContext, status: number): { request: RequestEvent; status: number; body: string } | undefined {
  const response = ctx.echo?.response;
  const request = ctx.echo?.request;
  if (!response || !request || response.status !== status) return undefined;
  return { request, status, body: (response.body ?? '').trim() };
}

type Culprit = ProxyChange | { at: Party; untapped?: true };

/**
 * Who made the request look like this: the proxy that changed it, else whoever sent it.
 * Real nginx is not tapped, so only the echo server saw its request; on the nginx route the
 * client is a browser, which always asks for the upgrade properly, so nginx changed it.
 */
function culprit(ctx: DiagnoseContext, request: RequestEvent, had: (r: RequestEvent) => boolean): Culprit {
  const change = proxyLost(ctx, had);
  if (change) return change;
  // A transcript from before the lab tapped real nginx: only the echo server saw its request.
  if (request.from === 'nginx' && ctx.connection.route === 'nginx' && !ctx.byObserver.has('nginx')) return { at: 'nginx', untapped: true };
  const first = ctx.proxies.find((p) => ctx.received(p) !== undefined);
  return { at: first === undefined ? request.from : 'browser' };
}

/** The finding for a change made by real nginx, which the lab sees only from the echo server's side. */
function byUntappedNginx(rule: string, ctx: DiagnoseContext, change: string, status: number, fix: string, reference: string) {
  return {
    rule,
    at: 'nginx' as const,
    summary: `nginx sent ${nameOf(ctx, 'echo')} ${change}, so it answered ${status}${andBrowser(ctx)}.`,
    why:
      "The lab cannot tap real nginx, but a browser always sends GET … HTTP/1.1 with Upgrade: websocket and Connection: Upgrade, so the request " +
      'the echo server received shows what nginx did to it. Upgrade and Connection are hop-by-hop (RFC 9110 §7.6.1) and nginx speaks ' +
      'HTTP/1.0 upstream by default: it forwards an upgrade only when the location re-creates it.',
    reference,
    fix,
  };
}

/** "an HTTP/1.0 request with Connection: close" — how nginx's default proxy_pass rewrites an upgrade. */
function upstreamShape(sent: RequestEvent): string {
  const parts = [`HTTP/${sent.httpVersion}`];
  parts.push(headerValue(sent.headers, 'connection') === undefined ? 'no Connection header' : quoteHeader(sent.headers, 'Connection'));
  return parts.join(' with ');
}

export const refusedMissingUpgrade: Rule = {
  id: 'refused-missing-upgrade',
  kind: 'cause',
  applies(ctx) {
    const refused = refusal(ctx, 426);
    if (!refused || upgradesToWebSocket(refused.request.headers)) return undefined;
    const who = culprit(ctx, refused.request, (r) => upgradesToWebSocket(r.headers));
    const reference = `RFC 9110 §7.6.1, §7.8; RFC 6455 §4.1; ${NGINX_WEBSOCKET_DOCS}`;
    if ('proxy' in who) {
      const nginxDefault = belowHttp11(who.sent.httpVersion) && /close/i.test(headerValue(who.sent.headers, 'connection') ?? '');
      return {
        rule: 'refused-missing-upgrade',
        at: who.proxy,
        summary:
          `${NameOf(ctx, who.proxy)} dropped Upgrade, a hop-by-hop header, so ${nameOf(ctx, 'echo')} answered 426${andBrowser(ctx)}.`,
        why:
          `${NameOf(ctx, 'browser')}'s request carried ${quoteHeader(who.received.headers, 'Upgrade')}, but ${nameOf(ctx, who.proxy)} sent it upstream as ` +
          `${upstreamShape(who.sent)} and no Upgrade header. Upgrade and Connection are hop-by-hop (RFC 9110 §7.6.1): a proxy consumes them and ` +
          `forwards an upgrade only if configured to re-create them` +
          (nginxDefault ? ", which is exactly nginx's default proxy_pass (HTTP/1.0, Connection: close)." : '.'),
        reference,
        ...(who.proxy === 'forward-proxy'
          ? { fix: 'A forward proxy that forwards requests instead of tunnelling them cannot carry a WebSocket: use a client that tunnels with CONNECT (every browser does), and a proxy that allows it (for wss://, to port 443).' }
          : { fix: `In the nginx location: ${NGINX_WEBSOCKET_RECIPE}`, ...fixConfigFor(ctx, websocketRecipe) }),
      };
    }
    const upgrade = hasHeader(refused.request.headers, 'upgrade')
      ? `with ${quoteHeader(refused.request.headers, 'Upgrade')} instead of Upgrade: websocket`
      : 'without an Upgrade: websocket header';
    if ('untapped' in who) {
      return {
        ...byUntappedNginx('refused-missing-upgrade', ctx, `an HTTP/${refused.request.httpVersion} request ${upgrade}`, 426, `In the nginx location: ${NGINX_WEBSOCKET_RECIPE}`, reference),
        ...fixConfigFor(ctx, websocketRecipe),
      };
    }
    return {
      rule: 'refused-missing-upgrade',
      at: who.at,
      summary: `The request reached ${nameOf(ctx, 'echo')} ${upgrade}, so it answered 426 Upgrade Required${andBrowser(ctx)}.`,
      why:
        'RFC 6455 §4.1 makes Upgrade: websocket (with Connection: Upgrade) what turns a GET into an opening handshake; without it the server sees ' +
        'an ordinary HTTP request. Browsers always send it, so a request without it comes from a hand-written client or a hop that stripped it.',
      reference,
      fix: 'Send Upgrade: websocket and Connection: Upgrade with the request; behind a proxy, make it forward both (nginx: ' + NGINX_WEBSOCKET_RECIPE + ').',
    };
  },
};

export const refusedConnectionNotUpgrade: Rule = {
  id: 'refused-connection-not-upgrade',
  kind: 'cause',
  applies(ctx) {
    const refused = refusal(ctx, 426);
    if (!refused || !upgradesToWebSocket(refused.request.headers) || connectionHasUpgrade(refused.request.headers)) return undefined;
    const who = culprit(ctx, refused.request, (r) => connectionHasUpgrade(r.headers));
    const reference = `RFC 9110 §7.6.1, §7.8; RFC 6455 §4.1; ${NGINX_WEBSOCKET_DOCS}`;
    if ('proxy' in who) {
      return {
        rule: 'refused-connection-not-upgrade',
        at: who.proxy,
        summary:
          `${NameOf(ctx, who.proxy)} forwarded Upgrade but sent ${quoteHeader(who.sent.headers, 'Connection')} instead of Connection: upgrade, ` +
          `so ${nameOf(ctx, 'echo')} answered 426${andBrowser(ctx)}.`,
        why:
          `${NameOf(ctx, 'browser')} sent ${quoteHeader(who.received.headers, 'Connection')}; Connection is hop-by-hop (RFC 9110 §7.6.1), so ${nameOf(ctx, who.proxy)} ` +
          'dropped it and added its own. Upgrade only takes effect when Connection lists the upgrade token (RFC 9110 §7.8), so the server saw a plain ' +
          'request. nginx does exactly this when proxy_set_header Upgrade is set without proxy_set_header Connection.',
        reference,
        fix: 'Add proxy_set_header Connection "upgrade"; beside proxy_set_header Upgrade $http_upgrade; (or map $http_upgrade $connection_upgrade).',
        ...fixConfigFor(ctx, websocketRecipe),
      };
    }
    if ('untapped' in who) {
      return {
        ...byUntappedNginx(
          'refused-connection-not-upgrade', ctx, `Upgrade with ${quoteHeader(refused.request.headers, 'Connection')} instead of Connection: upgrade`, 426,
          'Add proxy_set_header Connection "upgrade"; beside proxy_set_header Upgrade $http_upgrade; (or map $http_upgrade $connection_upgrade).', reference,
        ),
        ...fixConfigFor(ctx, websocketRecipe),
      };
    }
    return {
      rule: 'refused-connection-not-upgrade',
      at: who.at,
      summary:
        `The request reached ${nameOf(ctx, 'echo')} with ${quoteHeader(refused.request.headers, 'Connection')}, which lacks the upgrade token, ` +
        `so it answered 426 Upgrade Required${andBrowser(ctx)}.`,
      why:
        'RFC 6455 §4.1 requires a Connection header that includes the Upgrade token; without it, RFC 9110 §7.8 says the Upgrade header is to be ' +
        'ignored, so the server must treat the request as ordinary HTTP.',
      reference,
      fix: 'Send Connection: Upgrade together with Upgrade: websocket.',
    };
  },
};

export const refusedHttp10Strict: Rule = {
  id: 'refused-http10-strict',
  kind: 'cause',
  applies(ctx) {
    const refused = refusal(ctx, 400);
    if (!refused || !belowHttp11(refused.request.httpVersion)) return undefined;
    const who = culprit(ctx, refused.request, (r) => !belowHttp11(r.httpVersion));
    const reference = 'RFC 6455 §4.1; RFC 9110 §7.8; nginx docs: proxy_http_version (default 1.0)';
    if ('proxy' in who) {
      const noUpgrade = !upgradesToWebSocket(who.sent.headers);
      return {
        rule: 'refused-http10-strict',
        at: who.proxy,
        summary:
          `${NameOf(ctx, who.proxy)} forwarded the upgrade as HTTP/${who.sent.httpVersion}, so the strict echo server answered 400${andBrowser(ctx)}.`,
        why:
          `${NameOf(ctx, 'browser')} spoke HTTP/${who.received.httpVersion}, but ${nameOf(ctx, who.proxy)} sent HTTP/${who.sent.httpVersion} upstream; nginx does ` +
          'unless proxy_http_version 1.1 is set. RFC 6455 §4.1 requires HTTP/1.1 or later for the opening handshake, and HTTP/1.0 has no ' +
          'Upgrade mechanism at all, so a server that follows the RFC refuses it' +
          (noUpgrade ? '; the forwarded request had lost its Upgrade header too.' : '.'),
        reference,
        fix: noUpgrade ? `In the nginx location: ${NGINX_WEBSOCKET_RECIPE}` : 'In the nginx location: proxy_http_version 1.1;',
        ...fixConfigFor(ctx, noUpgrade ? websocketRecipe : http11),
      };
    }
    if ('untapped' in who) {
      return {
        ...byUntappedNginx('refused-http10-strict', ctx, `the upgrade as HTTP/${refused.request.httpVersion}`, 400, 'In the nginx location: proxy_http_version 1.1;', reference),
        ...fixConfigFor(ctx, http11),
      };
    }
    return {
      rule: 'refused-http10-strict',
      at: who.at,
      summary: `The upgrade request was HTTP/${refused.request.httpVersion}, so the strict echo server answered 400${andBrowser(ctx)}.`,
      why:
        'RFC 6455 §4.1 requires HTTP/1.1 or later for the opening handshake; HTTP/1.0 has no Upgrade mechanism (RFC 9110 §7.8). ws alone ' +
        'tolerates it, which is why the lab only refuses it with strict=1.',
      reference,
      fix: 'Send the request line as GET <path> HTTP/1.1.',
    };
  },
};

export const UPGRADE_REFUSAL_RULES: readonly Rule[] = [refusedHttp10Strict, refusedMissingUpgrade, refusedConnectionNotUpgrade];
