// A WebSocket over an HTTP/2 stream (RFC 8441): the browser's extended CONNECT (HEADERS with
// :method CONNECT and :protocol websocket, no Upgrade, no Sec-WebSocket-Key), the server's
// :status 200, then WebSocket frames in DATA frames — echoed as the echo server echoes them,
// and read by the same tap and frame decoder.

import type { IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import { constants } from 'node:http2';
import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import { echoMessages } from '../echo/behaviour.ts';
import type { LiveConnections } from '../echo/live.ts';
import { parseEchoParams } from '../echo/params.ts';
import { Leg } from '../tap/leg.ts';
import { tapWrites } from '../tap/socket-tap.ts';
import { newConnectionId, type TranscriptStore } from '../transcript/store.ts';
import type { HeaderList } from '../transcript/types.ts';

export interface H2WebSocketContext {
  store: TranscriptStore;
  live: LiveConnections;
  maxCapture?: number;
  maxPayload?: number;
}

/** HTTP/2 error codes by number (RFC 9113 §7), for RST_STREAM and GOAWAY. */
export function h2ErrorName(code: number): string {
  const entry = Object.entries(constants).find(([name, value]) => name.startsWith('NGHTTP2_') && value === code && !/^NGHTTP2_(SETTINGS|FLAG|FRAME|HCAT|DEFAULT|NV|SESSION|STREAM|HEADER|ERR_)/.test(name) && !/_(SIZE|WINDOW)$/.test(name));
  return entry ? entry[0].replace('NGHTTP2_', '') : `0x${code.toString(16)}`;
}

/** rawHeaders as they arrived — pseudo-headers first, in order — as a header list. */
export function headerList(raw: readonly string[]): HeaderList {
  const list: HeaderList = [];
  for (let i = 0; i + 1 < raw.length; i += 2) list.push([raw[i]!, raw[i + 1]!]);
  return list;
}

/** Whether a stream's HEADERS open a WebSocket (RFC 8441 §4). */
export function isExtendedConnect(headers: IncomingHttpHeaders): boolean {
  return headers[':method'] === 'CONNECT' && headers[':protocol'] === 'websocket';
}

export function acceptH2WebSocket(ctx: H2WebSocketContext, stream: ServerHttp2Stream, headers: IncomingHttpHeaders, raw: readonly string[]): void {
  const { store } = ctx;
  const path = String(headers[':path'] ?? '/');
  const authority = String(headers[':authority'] ?? '');
  const params = parseEchoParams(path);
  const session = store.resolveSession(params.session);
  const conn = params.conn ?? newConnectionId();
  store.openConnection(session, conn, { url: `wss://${authority}${path}`, route: 'direct' });
  const streamId = stream.id ?? 0;
  const seen = { observer: 'echo' as const, h2: { streamId } };
  store.append(session, conn, { kind: 'request', ...seen, from: 'browser', to: 'echo', method: 'CONNECT', target: path, httpVersion: '2', headers: headerList(raw) });
  const leg = new Leg({ store, session, conn, observer: 'echo', client: 'browser', server: 'echo', ...(ctx.maxCapture === undefined ? {} : { maxCapture: ctx.maxCapture }), ...(ctx.maxPayload === undefined ? {} : { maxPayload: ctx.maxPayload }) });
  const respond = (status: number, extra: Record<string, string> = {}) => {
    // Node adds a date when none is set: set it here, so the record is what was sent.
    extra = { ...extra, date: new Date().toUTCString() };
    const answer: HeaderList = [[':status', String(status)], ...Object.entries(extra)];
    store.append(session, conn, { kind: 'response', ...seen, from: 'echo', to: 'browser', status, reason: '', httpVersion: '2', headers: answer });
    stream.respond({ ':status': status, ...extra }, status === 200 ? {} : { endStream: true });
  };
  // RFC 8441 §4 keeps RFC 6455's version check; the key and accept have no place over HTTP/2 (§5).
  if (headers['sec-websocket-version'] !== '13') return respond(400);
  const offered = String(headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const chosen = offered.find((p) => params.protocols.includes(p));
  respond(200, chosen ? { 'sec-websocket-protocol': chosen } : {});
  // Frames follow at once: no extension is negotiated over HTTP/2 here (permessage-deflate is HTTP/1.1 only in this lab).
  leg.framesFollow(undefined);
  stream.prependListener('data', (chunk: Buffer) => leg.fromClient(chunk));
  tapWrites(stream as unknown as Socket, (bytes) => leg.fromServer(bytes));
  // ws's server-side socket without its HTTP/1.1 handshake: what `handleUpgrade` does after the 101 (ws 8, websocket.js).
  const ws = new (WebSocket as unknown as new (address: null, protocols: undefined, options: object) => WebSocket)(null, undefined, {});
  (ws as unknown as { setSocket(socket: Socket, head: Buffer, options: { maxPayload: number }): void }).setSocket(stream as unknown as Socket, Buffer.alloc(0), {
    maxPayload: ctx.maxPayload ?? 100 * 1024 * 1024,
  });
  const key = params.conn ? ctx.live.add(session, params.conn, ws) : undefined;
  ws.on('error', (err: Error & { code?: string }) => leg.error(err.code ?? 'WS_ERROR', `ws: ${err.message}`));
  ws.on('close', () => key && ctx.live.remove(key, ws));
  echoMessages(ws, ctx.live, key);
  if (params.heartbeatMs !== undefined) {
    const timer = setInterval(() => ws.ping(Buffer.from('heartbeat')), params.heartbeatMs);
    ws.on('close', () => clearInterval(timer));
  }
  stream.once('close', () => {
    // RST_STREAM ends a WebSocket stream without a close handshake (RFC 8441 §5); NO_ERROR is an ordinary end.
    if (stream.rstCode !== undefined && stream.rstCode !== constants.NGHTTP2_NO_ERROR) {
      store.append(session, conn, { kind: 'h2-reset', observer: 'echo', from: 'browser', to: 'echo', frame: 'RST_STREAM', streamId, errorCode: stream.rstCode, errorName: h2ErrorName(stream.rstCode) });
    }
    leg.end();
  });
  stream.session?.once('goaway', (errorCode: number, lastStreamId: number) => {
    if (!stream.closed) store.append(session, conn, { kind: 'h2-reset', observer: 'echo', from: 'browser', to: 'echo', frame: 'GOAWAY', streamId, errorCode, errorName: h2ErrorName(errorCode), lastStreamId });
  });
}
