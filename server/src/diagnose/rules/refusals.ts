// The echo server refused the handshake for what the request itself said: its key, its
// version, its Origin, its method, its size. Each rule reads the request the echo server
// recorded, not the refusal's wording.
import { isValidKey } from '../../wire/accept.ts';
import { headerValue, headerValues, labParams } from '../../wire/http-head.ts';
import type { DiagnoseContext } from '../context.ts';
import { andBrowser, answeringHop, connectionHasUpgrade, NameOf, nameOf, proxyLost, upgradesToWebSocket } from '../facts.ts';
import type { Rule } from '../rule.ts';
import { fixConfigFor, hostAsSent } from '../fix-config.ts';
import { refusal } from './refusals-upgrade.ts';

const at = (ctx: DiagnoseContext) => ctx.echo?.request?.from ?? 'browser';

export const refusedBadKey: Rule = {
  id: 'refused-bad-key',
  kind: 'cause',
  applies(ctx) {
    const refused = refusal(ctx, 400);
    if (!refused) return undefined;
    const keys = headerValues(refused.request.headers, 'sec-websocket-key');
    if (keys.length === 1 && isValidKey(keys[0])) return undefined;
    const what =
      keys.length === 0
        ? 'no Sec-WebSocket-Key'
        : keys.length > 1
          ? `${keys.length} Sec-WebSocket-Key headers`
          : `a malformed Sec-WebSocket-Key (${JSON.stringify(keys[0])})`;
    const change = proxyLost(ctx, (r) => {
      const k = headerValues(r.headers, 'sec-websocket-key');
      return k.length === 1 && isValidKey(k[0]);
    });
    return {
      rule: 'refused-bad-key',
      at: change?.proxy ?? at(ctx),
      summary: `The request reached ${nameOf(ctx, 'echo')} with ${what}, so it answered 400 Bad Request${andBrowser(ctx)}.`,
      why:
        'RFC 6455 §4.1 requires exactly one Sec-WebSocket-Key: 16 random bytes in base64, 24 characters ending in "==". The server ' +
        'hashes it into Sec-WebSocket-Accept to prove it read this very request, so without a valid key there is nothing to answer' +
        (change ? `; ${nameOf(ctx, change.proxy)} received a valid key but did not forward it intact.` : '.'),
      reference: 'RFC 6455 §4.1, §4.2.1 (item 5)',
      fix: change
        ? `Make ${nameOf(ctx, change.proxy)} forward Sec-WebSocket-Key unchanged.`
        : "Send one key made of 16 random bytes: crypto.randomBytes(16).toString('base64'). Browsers always do.",
    };
  },
};

export const refusedVersion: Rule = {
  id: 'refused-version',
  kind: 'cause',
  applies(ctx) {
    const refused = refusal(ctx, 426);
    if (!refused) return undefined;
    const version = headerValue(refused.request.headers, 'sec-websocket-version');
    if (version?.trim() === '13') return undefined;
    // A 426 for Upgrade or Connection comes first in the server's checks; those rules explain it.
    if (!upgradesToWebSocket(refused.request.headers) || !connectionHasUpgrade(refused.request.headers)) return undefined;
    const what = version === undefined ? 'no Sec-WebSocket-Version' : `Sec-WebSocket-Version: ${version}`;
    return {
      rule: 'refused-version',
      at: at(ctx),
      summary: `The request asked for ${what}, but ${nameOf(ctx, 'echo')} speaks only 13, so it answered 426 with Sec-WebSocket-Version: 13${andBrowser(ctx)}.`,
      why:
        'Version 13 is the only version RFC 6455 defines; 8 and below are drafts (hybi) that some old clients still send. A server that ' +
        'cannot speak the requested version answers 426 listing the versions it supports, so the client may retry with one of them.',
      reference: 'RFC 6455 §4.2.2 (version negotiation), §4.4',
      fix: 'Send Sec-WebSocket-Version: 13 (every browser does); update the client library if it sends a draft version.',
    };
  },
};

export const refusedOrigin: Rule = {
  id: 'refused-origin',
  kind: 'cause',
  applies(ctx) {
    const refused = refusal(ctx, 403);
    if (!refused) return undefined;
    const origin = headerValue(refused.request.headers, 'origin');
    const host = headerValue(refused.request.headers, 'host') ?? '';
    const policy = labParams(refused.request.target).get('origin') ?? '';
    const reference = 'RFC 6455 §4.2.1 (item 7), §10.2; RFC 6454';
    if (origin === undefined) {
      return {
        rule: 'refused-origin',
        at: at(ctx),
        summary: `The request carried no Origin header and ${nameOf(ctx, 'echo')} checks origins, so it answered 403 Forbidden${andBrowser(ctx)}.`,
        why:
          'Browsers always send Origin with a WebSocket handshake; non-browser clients usually do not. A server that uses Origin to stop other ' +
          "sites' pages from opening sockets with the user's cookies must decide what to do without one; this one refuses.",
        reference,
        fix: 'Send an Origin the server allows, or relax the policy (origin=any) for non-browser clients.',
      };
    }
    let originHost = '';
    try {
      originHost = new URL(origin).host.toLowerCase();
    } catch {
      // An unparseable Origin matches nothing.
    }
    // A proxy that rewrote Host (nginx `Host $host` drops the port) can turn a same-host origin into a mismatch.
    const change = proxyLost(ctx, (r) => (headerValue(r.headers, 'host') ?? '').toLowerCase() === originHost);
    if (policy === 'same-host' && change) {
      const before = headerValue(change.received.headers, 'host') ?? '';
      const after = headerValue(change.sent.headers, 'host') ?? '';
      return {
        rule: 'refused-origin',
        at: change.proxy,
        summary:
          `${NameOf(ctx, change.proxy)} rewrote Host from ${before} to ${after}, so Origin ${origin} failed ${nameOf(ctx, 'echo')}'s same-host check: ` +
          `403${andBrowser(ctx, ', and ')}.`,
        why:
          `${NameOf(ctx, 'browser')}'s Origin and Host agreed (${before}); ${nameOf(ctx, change.proxy)} replaced Host` +
          (after.split(':')[0] === before.split(':')[0] ? ', dropping the port as nginx\'s $host does, ' : ' ') +
          'and an origin is scheme, host and port (RFC 6454), so the upstream comparison failed.',
        reference: `${reference}; nginx docs: $host vs $http_host (ngx_http_core_module)`,
        fix: `Forward the Host ${nameOf(ctx, 'browser')} sent: proxy_set_header Host $http_host; (or compare Origin with X-Forwarded-Host upstream).`,
        ...fixConfigFor(ctx, hostAsSent),
      };
    }
    const rule = policy === 'same-host' ? `is not the same host as Host: ${host}` : `is not in the allowed list (${policy || 'server policy'})`;
    return {
      rule: 'refused-origin',
      at: 'echo',
      summary: `${NameOf(ctx, 'echo')} answered 403 Forbidden because Origin ${origin} ${rule}${andBrowser(ctx, ', and ')}.`,
      why:
        "Origin is a browser's statement of which page opened the socket. WebSockets are not covered by CORS, so a server that " +
        'wants to stop other sites from connecting with the user\'s cookies must check Origin itself (RFC 6455 §10.2); a refusal is a 403.' +
        (policy === 'same-host' ? ' An origin includes the port, so a page served on another port is another origin.' : ''),
      reference,
      fix:
        policy === 'same-host'
          ? `Serve the page from ${host}, or allow its origin explicitly: origin=${origin}.`
          : `Add ${origin} to the allowed origins (origin=${[policy, origin].filter(Boolean).join(',')}) if that page should connect.`,
    };
  },
};

export const refusedMethod: Rule = {
  id: 'refused-method',
  kind: 'cause',
  applies(ctx) {
    const refused = refusal(ctx, 405);
    if (!refused || refused.request.method === 'GET') return undefined;
    return {
      rule: 'refused-method',
      at: at(ctx),
      summary: `The upgrade request used ${refused.request.method} instead of GET, so ${nameOf(ctx, 'echo')} answered 405 Method Not Allowed${andBrowser(ctx)}.`,
      why:
        'RFC 6455 §4.1 requires the opening handshake to be a GET. Other methods carry bodies and other semantics, and HTTP/1.1 Upgrade on them ' +
        'is not a WebSocket handshake; the server says which method it allows in the Allow header.',
      reference: 'RFC 6455 §4.1; RFC 9110 §15.5.6',
      fix: 'Send the handshake as GET.',
    };
  },
};

export const refusedHeadTooLarge: Rule = {
  id: 'refused-head-too-large',
  kind: 'cause',
  applies(ctx) {
    if (ctx.echo?.response?.status !== 431) return undefined;
    const error = ctx.echo.errors.find((e) => e.code === 'HEAD_TOO_LARGE');
    return {
      rule: 'refused-head-too-large',
      at: ctx.echo.client,
      summary: `The request head was too large for ${nameOf(ctx, 'echo')}, so it answered 431 Request Header Fields Too Large${andBrowser(ctx)}.`,
      why:
        (error ? `The server recorded: ${error.message}. ` : '') +
        'Servers cap the head (Node: 16 KiB by default) to bound memory per connection; it is refused before it is read, and filed under ' +
        'the session its request line names (the default session when none arrived whole). Oversized cookies for the host are the usual cause.',
      reference: 'RFC 6585 §5; Node.js --max-http-header-size',
      fix: 'Send fewer or smaller headers (clear large cookies for this host), or raise the server limit.',
    };
  },
};

/** Any other refusal, by whichever hop produced it: the status and its body, said plainly. */
export const handshakeRefused: Rule = {
  id: 'handshake-refused',
  kind: 'fallback',
  applies(ctx) {
    if (ctx.causes.length > 0) return undefined;
    const answer = answeringHop(ctx);
    if (!answer || answer.response.status < 400) return undefined;
    const { hop, response } = answer;
    const leg = hop === 'echo' ? ctx.echo : undefined;
    const error = leg?.errors.find((e) => e.code !== 'HEAD_TOO_LARGE');
    const body = (response.body ?? '').trim().split('\n')[0];
    return {
      rule: 'handshake-refused',
      at: hop,
      summary: `${NameOf(ctx, hop)} answered ${response.status} ${response.reason} instead of 101 Switching Protocols${andBrowser(ctx)}.`,
      why:
        (error ? `${NameOf(ctx, hop)} recorded ${error.code}: ${error.message}. ` : body ? `Its body says: ${body}. ` : '') +
        'A browser treats any status but 101 as a failed handshake and never shows the page the response; only a capture like this one does.',
      reference: 'RFC 6455 §4.1 (the client handles a non-101 response per HTTP), §4.2.2',
      fix: `Fix what ${nameOf(ctx, hop)} objects to in the request, as its response says.`,
    };
  },
};

export const REFUSAL_RULES: readonly Rule[] = [refusedBadKey, refusedVersion, refusedOrigin, refusedMethod, refusedHeadTooLarge];
