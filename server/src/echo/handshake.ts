import type { Refusal } from '../wire/refusal.ts';
import { isValidKey } from '../wire/accept.ts';
import { connectionTokens } from '../shared/headers.ts';
import { headerValue, headerValues, type RequestHead } from '../wire/http-head.ts';
import type { EchoParams } from './params.ts';

/**
 * The checks RFC 6455 §4.2.1 asks of a server, one per failed condition, returning early
 * with the refusal a user can read. `ws` makes most of them too, but answers 400 for all;
 * the lab answers with the status the RFC names (426 for Upgrade and version problems).
 */
export function checkHandshake(head: RequestHead, params: EchoParams): Refusal | undefined {
  if (head.method !== 'GET') {
    return { status: 405, reason: `the opening handshake must be a GET request (RFC 6455 §4.1), not ${head.method}`, headers: [['Allow', 'GET']] };
  }
  if (params.strict && head.httpVersion !== '1.1' && !/^[2-9]/.test(head.httpVersion)) {
    return { status: 400, reason: `strict: an HTTP/${head.httpVersion} request cannot upgrade; RFC 6455 §4.1 requires HTTP/1.1 or higher` };
  }
  if (params.strict && headerValues(head.headers, 'host').length !== 1) {
    return { status: 400, reason: "strict: exactly one 'Host' header is required (RFC 6455 §4.1, RFC 9112 §3.2)" };
  }
  const upgrade = headerValues(head.headers, 'upgrade');
  if (upgrade.length === 0) {
    return { status: 426, reason: "missing 'Upgrade' header", headers: [['Upgrade', 'websocket']] };
  }
  if (!upgrade.join(',').split(',').some((t) => t.trim().toLowerCase() === 'websocket')) {
    return { status: 426, reason: `'websocket' not found in 'Upgrade' header: ${JSON.stringify(upgrade.join(', '))}`, headers: [['Upgrade', 'websocket']] };
  }
  if (!connectionTokens(head.headers).includes('upgrade')) {
    return { status: 426, reason: "'upgrade' token not found in 'Connection' header", headers: [['Upgrade', 'websocket']] };
  }
  const keys = headerValues(head.headers, 'sec-websocket-key');
  if (keys.length === 0) return { status: 400, reason: "missing 'Sec-WebSocket-Key' header" };
  if (keys.length > 1 || !isValidKey(keys[0])) {
    return { status: 400, reason: `malformed 'Sec-WebSocket-Key' header: ${JSON.stringify(keys.join(', '))} is not 16 bytes in base64` };
  }
  const version = headerValue(head.headers, 'sec-websocket-version');
  if (version === undefined) {
    return { status: 426, reason: "missing 'Sec-WebSocket-Version' header", headers: [['Sec-WebSocket-Version', '13']] };
  }
  if (version.trim() !== '13') {
    return { status: 426, reason: `unsupported 'Sec-WebSocket-Version' ${JSON.stringify(version)}; this server speaks 13`, headers: [['Sec-WebSocket-Version', '13']] };
  }
  return checkOrigin(head, params);
}

function checkOrigin(head: RequestHead, params: EchoParams): Refusal | undefined {
  const policy = params.origin;
  if (policy.kind === 'any') return undefined;
  const origin = headerValue(head.headers, 'origin');
  if (origin === undefined) return { status: 403, reason: "request origin not allowed: no 'Origin' header" };
  if (policy.kind === 'same-host') {
    const host = headerValue(head.headers, 'host') ?? '';
    let originHost = '';
    try {
      originHost = new URL(origin).host;
    } catch {
      // An unparseable origin matches no host.
    }
    if (originHost.toLowerCase() === host.toLowerCase()) return undefined;
    return { status: 403, reason: `request origin not allowed: ${origin} is not the same host as 'Host: ${host}'` };
  }
  if (policy.origins.includes(origin.toLowerCase())) return undefined;
  return { status: 403, reason: `request origin not allowed: ${origin} is not one of ${policy.origins.join(', ')}` };
}
