// Shared helpers for tests against real nginx: a raw capture server standing in for the echo
// server, a raw client, and the rule for a missing nginx (fail under CI, skip elsewhere).

import { createHash } from 'node:crypto';
import net from 'node:net';
import { findNginx } from '../../src/nginx/binary.ts';
import { dechunk } from '../../src/wire/chunked.ts';
import type { ProxiedResponse } from '../../src/reverse-proxy/presets.ts';
import type { HeaderList } from '../../src/transcript/types.ts';
import { parseRequestHead, parseResponseHead, serializeResponseHead, type RequestHead } from '../../src/wire/http-head.ts';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/**
 * The nginx binary to test against. Under CI a missing nginx is a failure, not a skip: a
 * parity suite that silently skips proves nothing.
 */
export function nginxForTests(): string | undefined {
  const found = findNginx(process.env.NGINX_PATH);
  if ('path' in found) return found.path;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`CI requires real nginx: ${found.reason}`);
  console.warn(`skipping tests against real nginx: ${found.reason}`);
  return undefined;
}

export interface Capture {
  /** The request head exactly as received, CRLFs included. */
  raw: string;
  request: RequestHead;
  /** What the capture server answered, as sent. */
  response: ProxiedResponse;
  responseRaw: string;
  socket: net.Socket;
  closed: Promise<void>;
}

export interface CaptureServer {
  port: number;
  captures: Capture[];
  /** The capture whose target carries `conn=<id>`. */
  byConn(id: string): Capture | undefined;
  close(): Promise<void>;
}

function tokens(headers: HeaderList, name: string): string[] {
  return headers
    .filter(([n]) => n.toLowerCase() === name)
    .flatMap(([, v]) => v.split(','))
    .map((t) => t.trim().toLowerCase());
}

function firstValue(headers: HeaderList, name: string): string | undefined {
  return headers.find(([n]) => n.toLowerCase() === name)?.[1];
}

/**
 * Answers as the echo server does: 101 as `ws` writes it for a valid upgrade (a protocol from
 * `protocols=`, permessage-deflate with `deflate=on`), else the echo server's 426 refusal;
 * `nolength=1` leaves out its Content-Length and ends it with a close.
 */
function answer(request: RequestHead): ProxiedResponse {
  const params = new URLSearchParams(request.target.split('?')[1] ?? '');
  const key = firstValue(request.headers, 'sec-websocket-key');
  const upgrade =
    request.method === 'GET' &&
    tokens(request.headers, 'upgrade').includes('websocket') &&
    tokens(request.headers, 'connection').includes('upgrade') &&
    key !== undefined &&
    firstValue(request.headers, 'sec-websocket-version') === '13';
  if (upgrade) {
    const headers: HeaderList = [
      ['Upgrade', 'websocket'],
      ['Connection', 'Upgrade'],
      ['Sec-WebSocket-Accept', createHash('sha1').update(key + GUID).digest('base64')],
    ];
    const accepted = (params.get('protocols') ?? '').split(',').filter((p) => p !== '');
    const chosen = tokens(request.headers, 'sec-websocket-protocol').find((p) => accepted.includes(p));
    if (chosen !== undefined) headers.push(['Sec-WebSocket-Protocol', chosen]);
    if (params.get('deflate') === 'on' && tokens(request.headers, 'sec-websocket-extensions').some((e) => e.startsWith('permessage-deflate'))) {
      headers.push(['Sec-WebSocket-Extensions', 'permessage-deflate']);
    }
    return { status: 101, reason: 'Switching Protocols', httpVersion: '1.1', headers };
  }
  const body = "'upgrade' token not found in 'Connection' header\n";
  const headers: HeaderList = [
    ['Connection', 'close'],
    ['Upgrade', 'websocket'],
    ['Content-Type', 'text/plain; charset=utf-8'],
  ];
  if (params.get('nolength') !== '1') headers.push(['Content-Length', String(Buffer.byteLength(body))]);
  return { status: 426, reason: 'Upgrade Required', httpVersion: '1.1', headers, body };
}

export function startCaptureServer(): Promise<CaptureServer> {
  const captures: Capture[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    void closed.then(() => sockets.delete(socket));
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.off('data', onData);
      const head = buffered.subarray(0, end + 4);
      const request = parseRequestHead(head);
      const response = answer(request);
      const responseRaw = serializeResponseHead(response);
      captures.push({ raw: head.toString('latin1'), request, response, responseRaw, socket, closed });
      // After a 101 the tunnel stays open and silent until a side closes it.
      if (response.status === 101) socket.write(responseRaw);
      else socket.end(responseRaw + (response.body ?? ''));
      socket.resume();
    };
    socket.on('data', onData);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      resolve({
        port: address.port,
        captures,
        byConn: (id) => captures.find((c) => new URLSearchParams(c.request.target.split('?')[1] ?? '').get('conn') === id),
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

export interface Exchange {
  /** The response head exactly as received. */
  raw: string;
  response: ReturnType<typeof parseResponseHead>;
  /** The content, chunked framing removed. */
  body: string;
  socket: net.Socket;
  /** When the client socket closed, in ms after the response head arrived. */
  closedAfter: Promise<number>;
  /** Bytes that arrived after the head of a 101 (tunnel data). */
  tunnelBytes(): number;
}

/** Sends a raw request and reads one response: its head, and its content framed as the head says. */
export function exchange(port: number, request: string, timeoutMs = 4000, encoding: BufferEncoding = 'utf8'): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    let headEnd = -1;
    let headAt = 0;
    let tunnel = 0;
    let settled = false;
    const timer = setTimeout(() => finish(new Error(`no whole response within ${timeoutMs} ms; got ${JSON.stringify(data.toString('latin1'))}`)), timeoutMs);
    const closedAfter = new Promise<number>((done) => socket.once('close', () => done(Date.now() - headAt)));
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        socket.destroy();
        return reject(error);
      }
      const raw = data.subarray(0, headEnd + 4).toString('latin1');
      const response = parseResponseHead(data.subarray(0, headEnd + 4));
      const content = data.subarray(headEnd + 4);
      const chunked = response.headers.some(([n, v]) => n.toLowerCase() === 'transfer-encoding' && v === 'chunked');
      const body = response.status === 101 ? '' : (chunked ? dechunk(content).content : content).toString('latin1');
      resolve({ raw, response, body, socket, closedAfter, tunnelBytes: () => tunnel });
    };
    const complete = (): boolean => {
      const head = parseResponseHead(data.subarray(0, headEnd + 4));
      if (head.status === 101) return true;
      const content = data.subarray(headEnd + 4);
      const length = head.headers.find(([n]) => n.toLowerCase() === 'content-length')?.[1];
      if (length !== undefined) return content.length >= Number(length);
      if (head.headers.some(([n, v]) => n.toLowerCase() === 'transfer-encoding' && v === 'chunked')) return dechunk(content).complete;
      return head.status === 204 || head.status === 304;
    };
    socket.on('error', (error) => finish(error));
    socket.on('data', (chunk: Buffer) => {
      if (settled) {
        tunnel += chunk.length;
        return;
      }
      data = Buffer.concat([data, chunk]);
      if (headEnd === -1) {
        headEnd = data.indexOf('\r\n\r\n');
        if (headEnd === -1) return;
        headAt = Date.now();
      }
      if (complete()) finish();
    });
    // A response without a length ends with the connection.
    socket.on('end', () => (headEnd === -1 ? finish(new Error('connection closed before a response head')) : finish()));
    socket.write(request, encoding);
  });
}

/** A request head as bytes: `GET /x HTTP/1.1`, then the fields as given. */
export function rawRequest(method: string, target: string, httpVersion: string, headers: HeaderList): string {
  return `${method} ${target} HTTP/${httpVersion}\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
}
