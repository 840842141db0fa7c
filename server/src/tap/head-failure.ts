import type { Socket } from 'node:net';
import type { TranscriptStore } from '../transcript/store.ts';
import { newConnectionId } from '../transcript/store.ts';
import type { Party, Route } from '../transcript/types.ts';
import type { WireError } from '../wire/errors.ts';
import { labParams } from '../wire/http-head.ts';
import { Leg } from './leg.ts';

export interface HeadFailure {
  error: WireError;
  /** What arrived before the hop gave up. */
  received: Buffer;
}

export interface FileHeadFailureOptions {
  store: TranscriptStore;
  /** The hop that gave up. */
  observer: Party;
  /** Who sent the bytes (the browser, or the proxy in front of the echo server). */
  client: Party;
  route: Route;
  socket: Socket;
  failure: HeadFailure;
  maxCapture?: number;
}

/** The request line, when the bytes that arrived begin with a whole one. */
function requestLine(received: Buffer): { method: string; target: string } | undefined {
  const lf = received.indexOf(0x0a);
  if (lf === -1) return undefined;
  const match = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) +([^ ]+) +HTTP\/\d\.\d\r?$/.exec(received.toString('latin1', 0, lf));
  return match ? { method: match[1]!, target: match[2]! } : undefined;
}

/**
 * Files a connection whose request head never became a request — too large, not HTTP, too
 * slow, or abandoned — with the bytes that arrived (capped), so the lab explains a 408 or 431
 * the way it explains a 426. When a whole request line arrived (an oversized head usually has
 * one), its `lab=`/`conn=` decide where it is filed; otherwise the `default` session, as for any
 * connection that names none. Returns the leg, so the refusal written next is recorded too;
 * undefined for a client that connected and left without a byte (a port probe: nothing happened).
 */
export function fileHeadFailure(options: FileHeadFailureOptions): Leg | undefined {
  const { store, socket, failure } = options;
  if (failure.error.code === 'CLIENT_ABORTED' && failure.received.length === 0) return undefined;
  const line = requestLine(failure.received);
  const params = labParams(line?.target ?? '');
  const session = store.resolveSession(params.get('lab'));
  const conn = params.get('conn') ?? newConnectionId('raw');
  const url = line ? `ws://${socket.localAddress}:${socket.localPort}${line.target}` : `tcp://${socket.remoteAddress}:${socket.remotePort}`;
  store.openConnection(session, conn, { url, route: options.route });
  const leg = new Leg({
    store,
    session,
    conn,
    observer: options.observer,
    client: options.client,
    server: options.observer,
    ...(options.maxCapture === undefined ? {} : { maxCapture: options.maxCapture }),
  });
  const what = line ? `after the request line ${line.method} ${line.target.slice(0, 200)}` : 'before a whole request line';
  leg.error(failure.error.code, `${failure.error.message}, ${what}`, 'client-to-server', failure.received);
  return leg;
}
