// What a proxy did to a request that still upgraded (or was refused for another reason): an
// HTTP/1.0 upgrade a lenient server accepted, a Host without its port, an appended
// X-Forwarded-For, hop-by-hop headers forwarded or removed. Read from the request each proxy
// received beside the one it sent.
import type { HeaderList, Party, RequestEvent } from '../../transcript/types.ts';
import { connectionTokens, HOP_BY_HOP } from '../../shared/headers.ts';
import { headerValue, headerValues } from '../../wire/http-head.ts';
import type { DiagnoseContext } from '../context.ts';
import { belowHttp11, NameOf, nameOf, upgradesToWebSocket } from '../facts.ts';
import type { Rule } from '../rule.ts';
import { clearHeaders, fixConfigFor, hostAsSent, http11 } from '../fix-config.ts';
import { NGINX_WEBSOCKET_DOCS } from './refusals-upgrade.ts';

/** Each proxy that recorded both the request it received and the one it sent. */
function forwarded(ctx: DiagnoseContext): { proxy: Party; received: RequestEvent; sent: RequestEvent }[] {
  return ctx.proxies.flatMap((proxy) => {
    const received = ctx.received(proxy);
    const sent = ctx.sent(proxy);
    return received && sent ? [{ proxy, received, sent }] : [];
  });
}

const names = (headers: HeaderList) => new Set(headers.map(([n]) => n.toLowerCase()));
const wireName = (headers: HeaderList, lower: string) => headers.find(([n]) => n.toLowerCase() === lower)?.[0] ?? lower;

/** Hop-by-hop headers the client sent that a proxy re-creates rather than forwards (the WebSocket recipe sets both). */
const RECREATED = new Set(['connection', 'upgrade']);

/**
 * Hop-by-hop headers present in a received request (RFC 9110 §7.6.1): the fixed set plus those
 * the request's own Connection header names, except Connection and Upgrade themselves.
 */
function hopByHopIn(headers: HeaderList): { name: string; label: string }[] {
  const present = names(headers);
  const named = new Set(connectionTokens(headers));
  return [...new Set<string>([...HOP_BY_HOP, ...named])]
    .filter((n) => present.has(n) && !RECREATED.has(n))
    .map((n) => ({ name: n, label: wireName(headers, n) + (named.has(n) && !(HOP_BY_HOP as readonly string[]).includes(n) ? ' (named in Connection)' : '') }));
}

export const proxyHttp10Upgrade: Rule = {
  id: 'proxy-http10-upgrade',
  kind: 'note',
  applies(ctx) {
    const hit = forwarded(ctx).find(({ proxy, sent }) => belowHttp11(sent.httpVersion) && upgradesToWebSocket(sent.headers) && ctx.responseReceived(proxy)?.status === 101);
    if (!hit) return undefined;
    return {
      rule: 'proxy-http10-upgrade',
      at: hit.proxy,
      summary: `${NameOf(ctx, hit.proxy)} forwarded the upgrade as HTTP/${hit.sent.httpVersion}; ${nameOf(ctx, 'echo')} upgraded it anyway, but RFC 6455 §4.1 requires HTTP/1.1.`,
      why:
        `${NameOf(ctx, hit.proxy)} re-created Upgrade and Connection but kept nginx's default proxy_http_version 1.0. HTTP/1.0 has no Upgrade ` +
        'mechanism (RFC 9110 §7.8), so this works only because ws is lenient; a strict server (strict=1 here, or many non-Node stacks) ' +
        'refuses it, and a change of backend would break WebSockets with no change to the proxy.',
      reference: `RFC 6455 §4.1; RFC 9110 §7.8; ${NGINX_WEBSOCKET_DOCS}`,
      fix: 'Add proxy_http_version 1.1; to the location.',
      ...fixConfigFor(ctx, http11),
    };
  },
};

export const proxyHostWithoutPort: Rule = {
  id: 'proxy-host-without-port',
  kind: 'note',
  applies(ctx) {
    if (ctx.echo?.response?.status === 403) return undefined; // refused-origin tells this story with its consequence
    const hit = forwarded(ctx).find(({ received, sent }) => {
      const before = headerValue(received.headers, 'host') ?? '';
      const after = headerValue(sent.headers, 'host') ?? '';
      return /:\d+$/.test(before) && !/:\d+$/.test(after) && before.replace(/:\d+$/, '').toLowerCase() === after.toLowerCase();
    });
    if (!hit) return undefined;
    const before = headerValue(hit.received.headers, 'host') ?? '';
    const after = headerValue(hit.sent.headers, 'host') ?? '';
    return {
      rule: 'proxy-host-without-port',
      at: hit.proxy,
      summary: `${NameOf(ctx, hit.proxy)} forwarded Host: ${after} for a request to ${before}, dropping the port, so an upstream same-host Origin check would fail.`,
      why:
        `nginx's $host is the host name without the port; ${nameOf(ctx, 'browser')}'s Origin keeps the port (an origin is scheme, host and port, RFC 6454). ` +
        `An upstream that compares Origin with Host, or builds absolute URLs from Host, sees a different authority than ${nameOf(ctx, 'browser')} used.`,
      reference: 'RFC 9110 §7.2; RFC 6454 §4; nginx docs: $host vs $http_host (ngx_http_core_module)',
      fix: `proxy_set_header Host $http_host; forwards the Host ${nameOf(ctx, 'browser')} sent, port included.`,
      ...fixConfigFor(ctx, hostAsSent),
    };
  },
};

export const proxyForwardedForAppended: Rule = {
  id: 'proxy-x-forwarded-for-appended',
  kind: 'note',
  applies(ctx) {
    const hit = forwarded(ctx).find(({ received, sent }) => {
      const before = headerValues(received.headers, 'x-forwarded-for').join(', ');
      const after = headerValues(sent.headers, 'x-forwarded-for').join(', ');
      return before !== '' && after.startsWith(before) && after.length > before.length;
    });
    if (!hit) return undefined;
    const before = headerValues(hit.received.headers, 'x-forwarded-for').join(', ');
    const after = headerValues(hit.sent.headers, 'x-forwarded-for').join(', ');
    return {
      rule: 'proxy-x-forwarded-for-appended',
      at: hit.proxy,
      summary: `${NameOf(ctx, hit.proxy)} appended to the client's X-Forwarded-For: ${before} arrived upstream as ${after}.`,
      why:
        '$proxy_add_x_forwarded_for appends the address the proxy saw to whatever the client sent, so everything left of the last entry ' +
        'your own proxies added is the client\'s word, and anyone can send X-Forwarded-For. Only the right-most entries added by trusted ' +
        'proxies say where the connection came from.',
      reference: 'RFC 7239 §5.2 (the standard Forwarded header); nginx docs: $proxy_add_x_forwarded_for, ngx_http_realip_module',
      fix: 'Upstream, trust only the entries added by your proxies (nginx: set_real_ip_from + real_ip_header X-Forwarded-For; real_ip_recursive on;).',
    };
  },
};

export const proxyForwardedHopByHop: Rule = {
  id: 'proxy-forwarded-hop-by-hop',
  kind: 'note',
  applies(ctx) {
    for (const { proxy, received, sent } of forwarded(ctx)) {
      const out = names(sent.headers);
      const leaked = hopByHopIn(received.headers).filter((h) => out.has(h.name));
      if (leaked.length === 0) continue;
      return {
        rule: 'proxy-forwarded-hop-by-hop',
        at: proxy,
        summary: `${NameOf(ctx, proxy)} forwarded ${leaked.map((h) => h.label).join(', ')} upstream, hop-by-hop headers that RFC 9110 §7.6.1 says a proxy must remove.`,
        why:
          'Hop-by-hop headers describe one connection, not the request: Proxy-Connection and Keep-Alive are legacy connection options, ' +
          'Proxy-Authorization is addressed to the proxy itself, and any header the client lists in Connection is meant for the next hop ' +
          'only. nginx drops Connection, Upgrade, Keep-Alive, TE and Expect, but forwards the rest.',
        reference: 'RFC 9110 §7.6.1, §11.7.2; nginx docs: proxy_set_header',
        fix: `Clear each one in the location, e.g. ${leaked.map((h) => `proxy_set_header ${wireName(received.headers, h.name)} "";`).join(' ')}`,
        ...fixConfigFor(ctx, clearHeaders(leaked.map((h) => wireName(received.headers, h.name)))),
      };
    }
    return undefined;
  },
};

/** Hop-by-hop headers nginx would have forwarded but this proxy removed, as RFC 9110 asks. */
const NGINX_FORWARDS = (name: string) => !['keep-alive', 'te', 'transfer-encoding'].includes(name);

export const proxyDroppedHopByHop: Rule = {
  id: 'proxy-dropped-hop-by-hop',
  kind: 'note',
  applies(ctx) {
    for (const { proxy, received, sent } of forwarded(ctx)) {
      const out = names(sent.headers);
      const dropped = hopByHopIn(received.headers).filter((h) => !out.has(h.name) && NGINX_FORWARDS(h.name));
      if (dropped.length === 0) continue;
      return {
        rule: 'proxy-dropped-hop-by-hop',
        at: proxy,
        summary: `${NameOf(ctx, proxy)} removed ${dropped.map((h) => h.label).join(', ')} before forwarding, as RFC 9110 §7.6.1 requires; nginx 1.22 would have forwarded ${dropped.length === 1 ? 'it' : 'them'}.`,
        why:
          'A proxy must remove the hop-by-hop headers it receives, including every header the Connection header names, and then add its own ' +
          'Connection (and Upgrade, for a WebSocket). nginx removes only Connection, Upgrade, Keep-Alive, TE and Expect, so an upstream behind ' +
          'nginx can see headers that were meant for the proxy.',
        reference: 'RFC 9110 §7.6.1',
      };
    }
    return undefined;
  },
};

export const PROXY_RULES: readonly Rule[] = [
  proxyHttp10Upgrade,
  proxyHostWithoutPort,
  proxyForwardedForAppended,
  proxyForwardedHopByHop,
  proxyDroppedHopByHop,
];
