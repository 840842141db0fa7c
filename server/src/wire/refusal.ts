import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { HeaderList } from './header-list.ts';

export interface Refusal {
  status: number;
  /** One line saying what is wrong and where; sent as the body. */
  reason: string;
  headers?: HeaderList;
}

/** A refusal as bytes: status line, `Connection: close`, its headers, and the reason as a plain-text body. */
export function refusalBytes(refusal: Refusal): Buffer {
  const body = `${refusal.reason}\n`;
  const lines = [
    `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? 'Error'}`,
    'Connection: close',
    ...(refusal.headers ?? []).map(([n, v]) => `${n}: ${v}`),
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'utf8');
}

/**
 * Writes a whole refusal and closes once it is flushed. Never writes to a destroyed
 * socket: the peer may already be gone, and writing would raise EPIPE. `observe` sees the
 * bytes first, for the leg that records them.
 */
export function refuse(socket: Socket, refusal: Refusal, observe?: (bytes: Buffer) => void): void {
  if (socket.destroyed || !socket.writable) return void socket.destroy();
  const bytes = refusalBytes(refusal);
  observe?.(bytes);
  socket.once('finish', () => socket.destroy());
  socket.end(bytes);
}

/** What a proxy answers when it cannot reach the next hop (the mapping nginx and most proxies use). */
export function statusForSocketError(code: string | undefined): number {
  switch (code) {
    case 'ETIMEDOUT':
      return 504;
    case 'ECONNREFUSED':
    case 'ECONNRESET':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    default:
      return 502;
  }
}
