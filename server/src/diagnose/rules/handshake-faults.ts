// A server answered the upgrade, but not with a 101 a client may accept: RFC 6455 §4.1 lists
// what the client checks, and a browser fails the connection on the first check that does not
// hold. Each rule compares the 101 a hop sent with the request that same hop received.
import { computeAccept } from '../../wire/accept.ts';
import { headerValue, labParams } from '../../wire/http-head.ts';
import {
  andBrowser,
  answeringHop,
  connectionHasUpgrade,
  firstBad101,
  NameOf,
  nameOf,
  offeredProtocols,
  quoteHeader,
  upgradesToWebSocket,
} from '../facts.ts';
import type { Rule } from '../rule.ts';

export const acceptMismatch: Rule = {
  id: 'accept-mismatch',
  kind: 'cause',
  applies(ctx) {
    const bad = firstBad101(ctx, (response, request) => {
      const key = headerValue(request.headers, 'sec-websocket-key');
      return key === undefined || headerValue(response.headers, 'sec-websocket-accept') === computeAccept(key);
    });
    if (!bad) return undefined;
    const key = headerValue(bad.request.headers, 'sec-websocket-key') ?? '';
    const sent = headerValue(bad.response.headers, 'sec-websocket-accept');
    const expected = computeAccept(key);
    return {
      rule: 'accept-mismatch',
      at: bad.hop,
      summary:
        `${NameOf(ctx, bad.hop)}'s 101 carried ${sent === undefined ? 'no Sec-WebSocket-Accept' : `Sec-WebSocket-Accept ${sent}`}, ` +
        `but the key ${key} requires ${expected}, so the handshake failed${andBrowser(ctx)}.`,
      why:
        'The accept value is base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")): it proves the server read this very request, so a ' +
        'cached or misrouted response cannot open a socket. A different value means the server hashed another key (or none); Chrome says ' +
        '"Incorrect \'Sec-WebSocket-Accept\' header value".',
      reference: 'RFC 6455 §4.1 (client check 4), §4.2.2 (item 5.4), §1.3',
      fix: 'Compute Sec-WebSocket-Accept from the request\'s own Sec-WebSocket-Key; a WebSocket library (ws, etc.) does this for you.',
    };
  },
};

export const upgradeMissingIn101: Rule = {
  id: '101-without-upgrade',
  kind: 'cause',
  applies(ctx) {
    const bad = firstBad101(ctx, (response) => upgradesToWebSocket(response.headers) && connectionHasUpgrade(response.headers));
    if (!bad) return undefined;
    const missing = !upgradesToWebSocket(bad.response.headers)
      ? `${quoteHeader(bad.response.headers, 'Upgrade')} instead of Upgrade: websocket`
      : `${quoteHeader(bad.response.headers, 'Connection')} instead of Connection: Upgrade`;
    return {
      rule: '101-without-upgrade',
      at: bad.hop,
      summary: `${NameOf(ctx, bad.hop)} answered 101 Switching Protocols with ${missing}, so the handshake failed${andBrowser(ctx)}.`,
      why:
        'A 101 must say which protocol the connection switches to: RFC 9110 §7.8 requires Upgrade in a 101, and RFC 6455 §4.1 has the client ' +
        'fail the connection unless it reads Upgrade: websocket and Connection: Upgrade. Chrome says "\'Upgrade\' header is missing".' +
        (bad.hop === 'echo' ? '' : ` Both are hop-by-hop, so ${nameOf(ctx, bad.hop)} must re-create them on its own 101.`),
      reference: 'RFC 6455 §4.1 (client checks 2 and 3), §4.2.2; RFC 9110 §7.8, §15.2.2',
      fix: 'Send Upgrade: websocket and Connection: Upgrade in the 101 (a WebSocket library does; check any code that edits response headers).',
    };
  },
};

export const statusNot101: Rule = {
  id: 'status-not-101',
  kind: 'cause',
  applies(ctx) {
    const answer = answeringHop(ctx);
    if (!answer) return undefined;
    const { hop, response } = answer;
    if (response.status === 101 || response.status >= 400) return undefined;
    const request = ctx.received(hop);
    if (!request || !upgradesToWebSocket(request.headers)) return undefined;
    const redirect = response.status >= 300;
    return {
      rule: 'status-not-101',
      at: hop,
      summary: `${NameOf(ctx, hop)} answered ${response.status} ${response.reason} instead of 101 Switching Protocols, so the handshake failed${andBrowser(ctx)}.`,
      why: redirect
        ? 'Browsers do not follow redirects for WebSocket handshakes: anything but 101 fails the connection. ' +
          `The redirect pointed to ${headerValue(response.headers, 'location') ?? 'no Location'}.`
        : 'The server handled the upgrade as an ordinary HTTP request and did not switch protocols: typically the request reached a plain web ' +
          'handler (wrong path or port, or a route without WebSocket support). Chrome says "Unexpected response code: ' +
          `${response.status}".`,
      reference: 'RFC 6455 §4.1 (a non-101 response ends the handshake), §4.2.2; RFC 9110 §7.8',
      fix: redirect
        ? 'Point the WebSocket URL at the final location; a redirect cannot be followed.'
        : 'Route this path to the WebSocket endpoint, or upgrade the request there (ws: handleUpgrade on the HTTP server\'s upgrade event).',
    };
  },
};

export const protocolNotOffered: Rule = {
  id: 'protocol-not-offered',
  kind: 'cause',
  applies(ctx) {
    const bad = firstBad101(ctx, (response, request) => {
      const selected = headerValue(response.headers, 'sec-websocket-protocol');
      return selected === undefined || offeredProtocols(request.headers).includes(selected.trim());
    });
    if (!bad) return undefined;
    const selected = headerValue(bad.response.headers, 'sec-websocket-protocol') ?? '';
    const offered = offeredProtocols(bad.request.headers);
    return {
      rule: 'protocol-not-offered',
      at: bad.hop,
      summary:
        `${NameOf(ctx, bad.hop)} selected subprotocol "${selected}", which the client never offered ` +
        `(${offered.length === 0 ? 'it offered none' : `it offered ${offered.join(', ')}`}), so the handshake failed${andBrowser(ctx)}.`,
      why:
        'A server may only pick one of the subprotocols listed in the request\'s Sec-WebSocket-Protocol; the client fails the connection ' +
        'otherwise, because it could not speak the one chosen. Chrome says the value "does not match any of sent values".',
      reference: 'RFC 6455 §4.1 (client check 6), §4.2.2 (item 5.5), §11.3.4',
      fix: 'Select a subprotocol from the request\'s list, or send no Sec-WebSocket-Protocol when none is acceptable.',
    };
  },
};

export const protocolNoneSelected: Rule = {
  id: 'protocol-none-selected',
  kind: 'cause',
  applies(ctx) {
    const bad = firstBad101(ctx, (response, request) => {
      return offeredProtocols(request.headers).length === 0 || headerValue(response.headers, 'sec-websocket-protocol') !== undefined;
    });
    if (!bad) return undefined;
    const offered = offeredProtocols(bad.request.headers);
    const accepted = labParams(bad.request.target).get('protocols');
    return {
      rule: 'protocol-none-selected',
      at: bad.hop,
      summary:
        `The client offered subprotocols ${offered.join(', ')}, but ${nameOf(ctx, bad.hop)}'s 101 selected none; ` +
        `browsers fail such a handshake${andBrowser(ctx)}.`,
      why:
        'RFC 6455 lets a server decline every offered subprotocol by omitting Sec-WebSocket-Protocol, but the WHATWG Fetch standard that ' +
        'browsers follow fails the connection when protocols were requested and none came back (Chrome: "Sent non-empty ' +
        '\'Sec-WebSocket-Protocol\' header but no response was received").' +
        (accepted === null ? '' : ` The URL says the echo server accepts: ${accepted || 'none'}.`),
      reference: 'RFC 6455 §4.2.2 (item 5.5); WHATWG Fetch, "establish a WebSocket connection"',
      fix:
        'Have the server select one of the offered subprotocols' +
        (accepted === null ? '' : ` (e.g. protocols=${offered.join(',')})`) +
        ', or open the socket without a protocols argument.',
    };
  },
};

export const HANDSHAKE_FAULT_RULES: readonly Rule[] = [
  statusNot101,
  upgradeMissingIn101,
  acceptMismatch,
  protocolNotOffered,
  protocolNoneSelected,
];
