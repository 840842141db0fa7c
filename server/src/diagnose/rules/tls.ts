// wss:// failures a page sees only as 1006: the TLS handshake ended before any request, most
// often because the browser does not trust the certificate (the lab's own, until it is trusted).
import type { Rule } from '../rule.ts';

export const wssNeverReached: Rule = {
  id: 'wss-handshake-never-reached',
  kind: 'note',
  applies(ctx) {
    if (!/^wss:/i.test(ctx.connection.url)) return undefined;
    if ([...ctx.byObserver.keys()].some((observer) => observer !== 'browser' && observer !== 'forward-proxy')) return undefined;
    if (ctx.events.some((e) => e.kind === 'request' || e.kind === 'open')) return undefined;
    const close = ctx.events.find((e) => e.kind === 'close' && e.observer === 'browser');
    if (close?.kind !== 'close' || close.code !== 1006) return undefined;
    return {
      rule: 'wss-handshake-never-reached',
      at: 'browser',
      summary: 'The wss:// connection failed before any hop read its request: the TLS handshake did not complete.',
      why:
        'Over wss:// the browser first checks the server\'s certificate. When no authority it trusts signed it — as with the lab\'s own ' +
        'certificate until you trust it — Chromium ends the TLS handshake, prints "Error in connection establishment: ' +
        'net::ERR_CERT_AUTHORITY_INVALID" on its console and gives the page only 1006: the WebSocket handshake is never sent, so no hop ' +
        'has a request to show. The lab\'s TLS listener files the alert it received (46, certificate_unknown, from Chromium) under ' +
        'Session → Terminal clients: without a request it cannot tell which page it was. (A name the certificate does not cover gives ' +
        'net::ERR_CERT_COMMON_NAME_INVALID the same way.)',
      reference: 'RFC 6455 §4.1 (a wss:// handshake starts with TLS), §7.1.5 (1006); RFC 8446 §4.4.2',
      fix:
        'Start Chrome with --ignore-certificate-errors-spki-list=<hash> (printed at the lab\'s startup; GET /api/info gives it as tls.spki), ' +
        'or trust the lab\'s cert.pem, then connect again.',
    };
  },
};

export const TLS_RULES: readonly Rule[] = [wssNeverReached];
