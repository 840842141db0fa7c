// What corporate forward proxies do to WebSockets that the plain CONNECT proxy does not: cut a
// tunnel that does not start with TLS, and — seen from the page — refuse a CONNECT the lab cannot
// file under the page's session (a CONNECT names only host:port).
import type { ErrorEvent } from '../../transcript/types.ts';
import type { Rule } from '../rule.ts';

export const tunnelNotTls: Rule = {
  id: 'tunnel-not-tls',
  kind: 'cause',
  applies(ctx) {
    const error = ctx.events.find((e): e is ErrorEvent => e.kind === 'error' && e.observer === 'forward-proxy' && e.code === 'NOT_TLS');
    if (!error) return undefined;
    const connect = ctx.events.find((e) => e.kind === 'connect');
    const target = connect?.kind === 'connect' ? ` ${connect.target}` : '';
    return {
      rule: 'tunnel-not-tls',
      at: 'forward-proxy',
      summary:
        `The forward proxy${ctx.connection.preset ? ` (${ctx.connection.preset})` : ''} allowed CONNECT${target}, then cut the tunnel because its first bytes ` +
        `were an HTTP request, not a TLS ClientHello: ${ctx.clientName} saw the connection close before any handshake response.`,
      why:
        `The forward proxy recorded: ${error.message.replace(/^forward proxy \([^)]*\): /, '')}. Some proxies allow CONNECT only for TLS and look at the first ` +
        'record (a handshake record starts with byte 0x16): Squid with ssl_bump peek, appliances that block "traffic which doesn\'t appear to be SSL". ' +
        'A ws:// handshake is plain text, so it is cut; Chromium reports "Connection closed before receiving a handshake response" and 1006.',
      reference: 'RFC 9110 §9.3.6; RFC 8446 §5.1 (record layer), §4.1.2 (ClientHello)',
      fix: 'Use wss://: the first bytes in the tunnel are then a TLS ClientHello, and the proxy relays the rest unread.',
    };
  },
};

/**
 * The page chose the forward proxy, its socket failed before it opened, and no hop recorded
 * anything: a proxy in front refused the CONNECT, or nothing listened. A CONNECT names only
 * `host:port`, so the proxy files its refusal under the terminal clients' session, not the page's.
 */
export const noHopSawIt: Rule = {
  id: 'no-hop-saw-it',
  kind: 'note',
  applies(ctx) {
    if (ctx.connection.chosenRoute !== 'forward-proxy') return undefined;
    if ([...ctx.byObserver.keys()].some((observer) => observer !== 'browser')) return undefined;
    const close = ctx.events.find((e) => e.kind === 'close' && e.observer === 'browser');
    const opened = ctx.events.some((e) => e.kind === 'open');
    if (close?.kind !== 'close' || close.code !== 1006 || opened) return undefined;
    return {
      rule: 'no-hop-saw-it',
      at: 'browser',
      summary: 'The WebSocket failed before it opened, and no hop of the lab saw its handshake: a proxy in front refused it, or nothing answered.',
      why:
        "When Chrome's proxy refuses the CONNECT (any status but 200), Chromium fails the WebSocket with 1006 and prints " +
        '"Establishing a tunnel via proxy server failed." on its console; the handshake is never sent. The proxy cannot tell which page ' +
        'asked: a CONNECT request names only host:port (RFC 9110 §9.3.6), never the URL, so the lab\'s forward proxies file such a refusal ' +
        'under the terminal clients\' session (default), with the proxy\'s answer and its reason.',
      reference: 'RFC 9110 §9.3.6 (CONNECT), §15.5.4 (403)',
      fix: "Open Session → Terminal clients to see the CONNECT and the proxy's answer. Through a proxy that tunnels only TLS or only to port 443, use wss://.",
    };
  },
};

export const CORPORATE_PROXY_RULES: readonly Rule[] = [tunnelNotTls, noHopSawIt];
