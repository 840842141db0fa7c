// What a hop refused or timed out on its own account, before any WebSocket existed or to
// protect itself: a head too slow (408), too large (431) or unreadable (400), a client that
// left mid-head, a forward-proxy target outside the allowlist (403), an upstream that never
// answered (504), a message over the max payload (1009). Each hop records these as error
// events with a stable code; these rules read the code, never the wording.
import type { ErrorEvent, Party } from '../../transcript/types.ts';
import type { DiagnoseContext } from '../context.ts';
import { andBrowser, NameOf, nameOf } from '../facts.ts';
import type { Rule } from '../rule.ts';

/** The first error with one of `codes` recorded by a hop (not the browser). */
function recorded(ctx: DiagnoseContext, ...codes: string[]): ErrorEvent | undefined {
  return ctx.events.find((e): e is ErrorEvent => e.kind === 'error' && e.observer !== 'browser' && codes.includes(e.code));
}

/** The status the hop answered with, if it recorded one. */
function answered(ctx: DiagnoseContext, hop: Party): string {
  const response = ctx.events.find((e) => e.kind === 'response' && e.observer === hop && e.from === hop);
  return response?.kind === 'response' ? `${response.status} ${response.reason}` : '';
}

export const headTimeout: Rule = {
  id: 'head-timeout',
  kind: 'cause',
  applies(ctx) {
    const error = recorded(ctx, 'HEAD_TIMEOUT');
    if (!error) return undefined;
    const hop = error.observer;
    const status = answered(ctx, hop);
    const inTunnel = /inside the tunnel/.test(error.message);
    return {
      rule: 'head-timeout',
      at: error.from,
      summary:
        `${NameOf(ctx, error.from)} did not send a whole request head in time, so ${nameOf(ctx, hop)} ` +
        `${status ? `answered ${status} and ` : ''}closed the connection${andBrowser(ctx)}.`,
      why:
        `A hop gives a client a fixed time for the whole head, counted from the first byte and never extended by a trickle of ` +
        `bytes: otherwise a client sending one byte a second (slowloris) holds a connection, and a descriptor, forever. ` +
        `${NameOf(ctx, hop)} recorded: ${error.message}.` +
        (inTunnel ? ' Inside a CONNECT tunnel there is no HTTP answer to give: the tunnel is closed.' : ''),
      reference: 'RFC 9110 §15.5.9 (408); nginx client_header_timeout',
      fix: 'Send the whole request head at once, as browsers do. A lab started with --head-timeout <ms> waits longer (default 60000).',
    };
  },
};

export const clientAbortedHead: Rule = {
  id: 'client-aborted-head',
  kind: 'cause',
  applies(ctx) {
    const error = recorded(ctx, 'CLIENT_ABORTED');
    if (!error) return undefined;
    return {
      rule: 'client-aborted-head',
      at: error.from,
      summary: `${NameOf(ctx, error.from)} closed the connection before its request head was complete, so ${nameOf(ctx, error.observer)} had nothing to answer.`,
      why:
        `${NameOf(ctx, error.observer)} recorded: ${error.message}. A client that gives up mid-head (a crashed script, a port scan, a ` +
        'timeout of its own) leaves no request to refuse; nginx logs the same as "client prematurely closed connection".',
      reference: 'RFC 9112 §9.6 (tear-down)',
      fix: 'Look at the client: it stopped sending before the blank line that ends an HTTP head.',
    };
  },
};

export const headRefusedAtProxy: Rule = {
  id: 'head-refused-at-proxy',
  kind: 'cause',
  applies(ctx) {
    const error = recorded(ctx, 'HEAD_TOO_LARGE', 'NOT_HTTP', 'BAD_REQUEST', 'BAD_REQUEST_LINE', 'BAD_HEADER_LINE', 'OBSOLETE_LINE_FOLDING');
    // The echo server's own refusals have their rules (refused-head-too-large, handshake-refused).
    if (!error || error.observer === 'echo' || /inside the tunnel/.test(error.message)) return undefined;
    const status = answered(ctx, error.observer) || (error.code === 'HEAD_TOO_LARGE' ? '431 Request Header Fields Too Large' : '400 Bad Request');
    const tooLarge = error.code === 'HEAD_TOO_LARGE';
    return {
      rule: 'head-refused-at-proxy',
      at: error.from,
      summary: `${NameOf(ctx, error.observer)} refused the request head with ${status}: it never went further${andBrowser(ctx)}.`,
      why:
        `${NameOf(ctx, error.observer)} recorded ${error.code}: ${error.message}. ` +
        (tooLarge
          ? 'A proxy bounds the head it buffers per connection (nginx: large_client_header_buffers); oversized cookies are the usual cause.'
          : 'A proxy must not pass on a head it cannot read unambiguously: a NUL, a bare CR, a folded line or a malformed request line ' +
            'could be read differently by the next hop (request smuggling). nginx 1.22 answers 400 for exactly these; the bundled proxy does the same.'),
      reference: tooLarge ? 'RFC 6585 §5 (431)' : 'RFC 9112 §2.2, §3, §5.2; RFC 9110 §5.5',
      fix: tooLarge ? 'Send fewer or smaller headers (clear large cookies for this host).' : 'Send a well-formed head: CRLF line endings, no control bytes, no folded lines.',
    };
  },
};

const CONNECT_REFUSALS: Record<string, { what: string; fix: string; reference: string }> = {
  TARGET_NOT_ALLOWED: {
    what: "tunnels only to the lab's own listeners (echo server, reverse proxy, real nginx) and the targets named with --forward-proxy-allow",
    fix: 'Tunnel to one of the lab\'s listeners, or start the lab with --forward-proxy-allow host:port for this target.',
    reference: 'RFC 9110 §9.3.6 (CONNECT), §15.5.4 (403)',
  },
  NOT_CONNECT: {
    what: 'only tunnels with CONNECT; it does not fetch URLs for clients (it is not an HTTP forwarding proxy)',
    fix: 'Point the client at the proxy for ws:// and wss:// only (Chrome does so with --proxy-server), or connect directly.',
    reference: 'RFC 9110 §9.3.6, §15.5.6 (405)',
  },
  BAD_CONNECT_TARGET: {
    what: 'needs a CONNECT target of the form host:port',
    fix: 'Send CONNECT host:port HTTP/1.1, as browsers do.',
    reference: 'RFC 9110 §9.3.6; RFC 9112 §3.2.3 (authority-form)',
  },
  CONNECT_PORT_NOT_ALLOWED: {
    what: "tunnels only to port 443, as many corporate proxies do (Squid's `http_access deny CONNECT !SSL_ports`), so a ws:// URL on any other port cannot get through",
    fix: 'Serve the WebSocket as wss:// on port 443 (TLS terminated in front of the app): such a proxy tunnels it, and cannot read or break what is inside.',
    reference: 'RFC 9110 §9.3.6 (CONNECT), §15.5.4 (403); RFC 6455 §4.1 (wss:// default port 443)',
  },
  CONNECT_NOT_ALLOWED: {
    what: 'does not tunnel at all: it refuses every CONNECT and forwards only plain HTTP requests, so a browser has no way to open a WebSocket through it',
    fix: 'Ask for CONNECT to the WebSocket host on port 443 to be allowed, or fall back to a transport over plain requests (Server-Sent Events, long polling) when the WebSocket fails.',
    reference: 'RFC 9110 §9.3.6 (CONNECT), §15.5.4 (403); RFC 6455 §4.1 (a browser always tunnels through a proxy)',
  },
  TUNNEL_FAILED: {
    what: 'could not open the tunnel: the target did not accept the connection',
    fix: 'Start the target, or check the host and port the client asked for.',
    reference: 'RFC 9110 §15.6.3 (502), §15.6.5 (504)',
  },
};

export const connectRefused: Rule = {
  id: 'connect-refused',
  kind: 'cause',
  applies(ctx) {
    const error = recorded(ctx, ...Object.keys(CONNECT_REFUSALS));
    if (!error || error.observer !== 'forward-proxy') return undefined;
    const known = CONNECT_REFUSALS[error.code]!;
    const connect = ctx.events.find((e) => e.kind === 'connect');
    const target = connect?.kind === 'connect' ? ` ${connect.target}` : '';
    const status = answered(ctx, 'forward-proxy');
    return {
      rule: 'connect-refused',
      at: error.code === 'TUNNEL_FAILED' || error.code.startsWith('CONNECT_') ? 'forward-proxy' : 'browser',
      summary: `The forward proxy answered CONNECT${target} with ${status || 'a refusal'}: it ${known.what}.`,
      why:
        `The forward proxy recorded ${error.code}: ${error.message.replace(/^forward proxy: /, '')}` +
        (error.code === 'TARGET_NOT_ALLOWED'
          ? ' A CONNECT proxy that tunnels anywhere would let anyone who reaches it reach the services on this machine\'s loopback ' +
            '(a database, the lab\'s own API) and scan its ports; the lab\'s proxy is closed by default.'
          : ''),
      reference: known.reference,
      fix: known.fix,
    };
  },
};

export const upstreamTimeout: Rule = {
  id: 'upstream-timeout',
  kind: 'cause',
  applies(ctx) {
    const error = recorded(ctx, 'UPSTREAM_TIMEOUT');
    if (!error) return undefined;
    const status = answered(ctx, error.observer) || '504 Gateway Time-out';
    return {
      rule: 'upstream-timeout',
      at: error.from,
      summary: `${NameOf(ctx, error.from)} accepted the connection but sent no response head in time, so ${nameOf(ctx, error.observer)} answered ${status}${andBrowser(ctx)}.`,
      why: `${NameOf(ctx, error.observer)} recorded: ${error.message}. A proxy waits for upstream's answer only so long (nginx's proxy_read_timeout, 60 s by default), then answers 504.`,
      reference: 'RFC 9110 §15.6.5 (504); nginx proxy_read_timeout',
      fix: 'Make the upstream answer the handshake promptly; a lab started with --head-timeout <ms> waits longer.',
    };
  },
};

export const messageTooBig: Rule = {
  id: 'message-too-big',
  kind: 'cause',
  applies(ctx) {
    const error = recorded(ctx, 'MESSAGE_TOO_BIG');
    if (!error) return undefined;
    return {
      rule: 'message-too-big',
      at: error.from,
      summary: `${NameOf(ctx, error.from)} sent a message over the lab's max payload, so ${nameOf(ctx, error.observer)} closed the connection with 1009 (message too big)${andBrowser(ctx)}.`,
      why:
        `${NameOf(ctx, error.observer)} recorded: ${error.message}. An endpoint (and a proxy that inspects frames) bounds the message it buffers: ` +
        'a peer could otherwise make it hold any amount of memory. It stops relaying at the frame that crosses the limit, so the receiver ' +
        'never sees part of that message, and sends 1009 to the sender.',
      reference: 'RFC 6455 §7.4.1 (1009), §10.4',
      fix: 'Send smaller messages (split large data into several), or start the lab with a larger --max-payload.',
    };
  },
};

export const idleTunnel: Rule = {
  id: 'idle-tunnel',
  kind: 'cause',
  applies(ctx) {
    const error = recorded(ctx, 'IDLE_TIMEOUT');
    if (!error) return undefined;
    return {
      rule: 'idle-tunnel',
      at: error.observer,
      summary: `${NameOf(ctx, error.observer)} closed a tunnel that carried no WebSocket and no data either way for too long${andBrowser(ctx)}.`,
      why: `${NameOf(ctx, error.observer)} recorded: ${error.message}. A connection that never upgrades holds a descriptor; an idle one is closed, as nginx closes an idle keep-alive connection.`,
      reference: 'RFC 9112 §9.5 (timeouts)',
      fix: 'Nothing to fix for an abandoned tunnel. A lab started with --head-timeout <ms> waits longer.',
    };
  },
};

export const opaqueTunnel: Rule = {
  id: 'opaque-tunnel',
  kind: 'note',
  applies(ctx) {
    const error = ctx.events.find((e): e is ErrorEvent => e.kind === 'error' && e.observer === 'forward-proxy' && /inside the tunnel/.test(e.message) && e.code !== 'HEAD_TIMEOUT' && e.code !== 'NOT_TLS');
    if (!error) return undefined;
    return {
      rule: 'opaque-tunnel',
      at: 'forward-proxy',
      summary: 'What went through this tunnel is not HTTP (wss:// sends a TLS handshake first), so the forward proxy relayed it without reading it.',
      why: `The forward proxy recorded ${error.code}: ${error.message}. A CONNECT tunnel carries any bytes; the lab can read a ws:// handshake inside, never a TLS one.`,
      reference: 'RFC 9110 §9.3.6; RFC 8446 §4.1.2 (ClientHello)',
      fix: 'To see the handshake, connect with ws:// through the proxy; wss:// hides it by design.',
    };
  },
};

export const HOP_REFUSAL_RULES: readonly Rule[] = [
  headTimeout,
  clientAbortedHead,
  headRefusedAtProxy,
  connectRefused,
  upstreamTimeout,
  messageTooBig,
  idleTunnel,
  opaqueTunnel,
];
