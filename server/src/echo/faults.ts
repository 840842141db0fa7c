import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { FaultInfo } from '../api/types.ts';
import { computeAccept } from '../wire/accept.ts';

/**
 * Ways the echo server misbehaves on purpose, chosen by `fault=<name>` in the URL. Each
 * breaks exactly one rule of RFC 6455 so a lesson can show what the browser does about it.
 */
export interface Fault extends FaultInfo {
  /** Rewrites the 101's header lines before `ws` writes them. */
  headers?: (lines: string[], key: string) => string[];
  /** Answers the handshake instead of `ws`. */
  handshake?: (socket: Socket, key: string) => void;
  /** Misbehaves once the connection is open, with raw bytes on the socket. */
  open?: (ws: WebSocket, socket: Socket) => void;
}

const without = (lines: string[], name: string) => lines.filter((l) => !l.toLowerCase().startsWith(`${name.toLowerCase()}:`));

/** A raw frame from the server: the first byte (FIN, RSV bits, opcode) as given, unmasked unless `mask` is. */
function rawFrame(first: number, payload: Buffer, mask?: Buffer): Buffer {
  const header = Buffer.from([first, (mask ? 0x80 : 0) | payload.length]);
  if (!mask) return Buffer.concat([header, payload]);
  const masked = Buffer.from(payload);
  for (let i = 0; i < masked.length; i++) masked[i]! ^= mask[i % 4]!;
  return Buffer.concat([header, mask, masked]);
}

function writeRaw(socket: Socket, bytes: Buffer): void {
  if (!socket.destroyed && socket.writable) socket.write(bytes);
}

export const FAULTS: readonly Fault[] = [
  {
    name: 'wrong-accept',
    description: "101 with a Sec-WebSocket-Accept computed from the wrong key (RFC 6455 §4.1, the client's check 4)",
    headers: (lines, key) => [...without(lines, 'sec-websocket-accept'), `Sec-WebSocket-Accept: ${computeAccept(`${key}x`)}`],
  },
  {
    name: 'missing-upgrade',
    description: "101 without the 'Upgrade: websocket' header (RFC 6455 §4.1, the client's check 2)",
    headers: (lines) => without(lines, 'upgrade'),
  },
  {
    name: 'status-200',
    description: '200 OK instead of 101 Switching Protocols: the server did not switch protocols',
    handshake: (socket) => {
      const body = 'this is not a WebSocket endpoint\n';
      socket.once('finish', () => socket.destroy());
      socket.end(`HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    },
  },
  {
    name: 'protocol-not-offered',
    description: 'the 101 selects a subprotocol the client never offered (RFC 6455 §4.1, the client\'s check 6)',
    headers: (lines) => [...without(lines, 'sec-websocket-protocol'), 'Sec-WebSocket-Protocol: not-offered'],
  },
  {
    name: 'no-protocol',
    description: 'the 101 selects no subprotocol even when the client offered some',
    headers: (lines) => without(lines, 'sec-websocket-protocol'),
  },
  {
    name: 'masked-frame',
    description: 'the server sends a masked frame; servers must not mask (RFC 6455 §5.1)',
    open: (_ws, socket) => writeRaw(socket, rawFrame(0x81, Buffer.from('masked by the server'), Buffer.from([1, 2, 3, 4]))),
  },
  {
    name: 'rsv1-without-extension',
    description: 'a frame with RSV1 set although no extension was negotiated (RFC 6455 §5.2)',
    open: (_ws, socket) => writeRaw(socket, rawFrame(0xc1, Buffer.from('rsv1 set'))),
  },
  {
    name: 'invalid-utf8',
    description: 'a text frame whose payload is not valid UTF-8 (RFC 6455 §8.1)',
    open: (_ws, socket) => writeRaw(socket, rawFrame(0x81, Buffer.from([0x48, 0x69, 0xff, 0xfe]))),
  },
  {
    name: 'control-too-long',
    description: 'a ping of 126 bytes; control frames carry at most 125 (RFC 6455 §5.5)',
    open: (_ws, socket) =>
      writeRaw(socket, Buffer.concat([Buffer.from([0x89, 0x7e, 0x00, 0x7e]), Buffer.alloc(126, 0x61)])),
  },
  {
    name: 'unknown-extension',
    description: "the 101 agrees to x-webkit-deflate-frame, an extension the client never offered (RFC 6455 §4.1, the client's check 5; §9.1)",
    headers: (lines) => [...without(lines, 'sec-websocket-extensions'), 'Sec-WebSocket-Extensions: x-webkit-deflate-frame'],
  },
  {
    name: 'reserved-opcode',
    description: 'a frame with opcode 0x3, which RFC 6455 §5.2 reserves for future data frames',
    open: (_ws, socket) => writeRaw(socket, rawFrame(0x83, Buffer.from('opcode 3'))),
  },
  {
    name: 'close-1005',
    description: 'a close frame carrying code 1005, which RFC 6455 §7.4.1 reserves for "no code received" and forbids on the wire',
    open: (_ws, socket) => writeRaw(socket, rawFrame(0x88, Buffer.from([0x03, 0xed]))),
  },
  {
    name: 'fragmented-ping',
    description: 'a ping with FIN clear: control frames must not be fragmented (RFC 6455 §5.5)',
    open: (_ws, socket) => writeRaw(socket, rawFrame(0x09, Buffer.from('half a ping'))),
  },
  {
    name: 'rsv2-set',
    description: 'a frame with RSV2 set: no extension defines it, let alone one that was negotiated (RFC 6455 §5.2)',
    open: (_ws, socket) => writeRaw(socket, rawFrame(0xa1, Buffer.from('rsv2 set'))),
  },
  {
    name: 'close-without-frame',
    description: 'the server closes the TCP connection without a close frame (RFC 6455 §7.1.1)',
    open: (_ws, socket) => setTimeout(() => socket.destroy(), 200).unref(),
  },
];

export function findFault(name: string | undefined): Fault | undefined {
  return name === undefined ? undefined : FAULTS.find((f) => f.name === name);
}

export function faultInfo(): FaultInfo[] {
  return FAULTS.map(({ name, description }) => ({ name, description }));
}
