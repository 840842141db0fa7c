import type { Connection, HeaderList, RequestEvent } from '../../../../server/src/transcript/types.ts';
import { assertNever } from '../../../../server/src/shared/assert.ts';
import { headerValue } from '../../../../server/src/shared/headers.ts';
import { httpVersion } from '../../components/format.ts';
import type { HeadEvent } from '../handshake/HeadBlock.tsx';

/** A POSIX shell word: single quotes, with any single quote inside closed, escaped and reopened. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The start line of an HTTP head, as on the wire. */
export function startLine(event: HeadEvent): string {
  switch (event.kind) {
    case 'request':
      return `${event.method} ${event.target} ${httpVersion(event.httpVersion)}`;
    case 'response':
      return `${httpVersion(event.httpVersion)} ${event.status} ${event.reason}`;
    case 'connect':
      return `CONNECT ${event.target} HTTP/1.1`;
    default:
      return assertNever(event, 'head event');
  }
}

/** A head exactly as it travelled: start line, header lines in wire order and case, CRLF after each, a blank line. */
export function rawHead(event: HeadEvent): string {
  const lines = [startLine(event), ...event.headers.map(([name, value]) => `${name}: ${value}`)];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

export const headerLine = ([name, value]: HeaderList[number]) => `${name}: ${value}`;

/**
 * The connection's URL for a terminal client: the same session and echo parameters, without
 * `conn=`, so the lab files the terminal's connection beside this one under an id of its own.
 */
export function reproduceUrl(url: string): string {
  try {
    const u = new URL(url);
    u.searchParams.delete('conn');
    return u.toString().replace(/%2C/gi, ',');
  } catch {
    return url;
  }
}

/** What the client asked for in its handshake: the request as the first hop received it. */
function clientRequest(connection: Connection): RequestEvent | undefined {
  return connection.events.find((e): e is RequestEvent => e.kind === 'request' && (e.from === 'browser' || e.observer === 'echo'));
}

function offer(connection: Connection): { protocols: string[]; origin: string | undefined } {
  const request = clientRequest(connection);
  const protocols = (request ? (headerValue(request.headers, 'sec-websocket-protocol') ?? '') : '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  return { protocols, origin: request ? headerValue(request.headers, 'origin') : undefined };
}

/** `websocat` opening the same URL with the same subprotocols and Origin. */
export function websocatCommand(connection: Connection): string {
  const { protocols, origin } = offer(connection);
  const args = ['websocat'];
  if (protocols.length > 0) args.push('--protocol', shellQuote(protocols.join(', ')));
  if (origin) args.push('--origin', shellQuote(origin));
  args.push(shellQuote(reproduceUrl(connection.url)));
  return args.join(' ');
}

/** `wscat` (npm) opening the same URL with the same subprotocols and Origin. */
export function wscatCommand(connection: Connection): string {
  const { protocols, origin } = offer(connection);
  const args = ['npx', 'wscat', '-c', shellQuote(reproduceUrl(connection.url))];
  for (const p of protocols) args.push('-s', shellQuote(p));
  if (origin) args.push('-o', shellQuote(origin));
  return args.join(' ');
}
