import type { ResponseEvent } from '../transcript/types.ts';

/**
 * Whether a response accepted a WebSocket: 101 over HTTP/1.1 (RFC 6455 §4.2.2), a 2xx to an
 * extended CONNECT over HTTP/2 (RFC 8441 §5), which has no 101.
 */
export function acceptsWebSocket(response: Pick<ResponseEvent, 'status' | 'h2'>): boolean {
  return response.h2 !== undefined ? response.status >= 200 && response.status < 300 : response.status === 101;
}
