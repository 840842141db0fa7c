import { headerValue, serializeResponseHead, type ResponseHead } from '../wire/http-head.ts';
import { downstreamResponse, type Preset, type UpstreamInput } from './presets.ts';

/** The head the browser gets for an upstream 101, as the preset's nginx would write it. */
export function upgradeResponse(preset: Preset, upstream: ResponseHead, request: UpstreamInput): string {
  const { body: _none, ...head } = downstreamResponse(preset, upstream, { date: new Date().toUTCString(), request });
  return serializeResponseHead(head);
}

/**
 * A refusal relayed to the browser: the head as the preset's nginx writes it and the
 * upstream's content, chunked when nginx would chunk it (no length from upstream).
 */
export function relayRefusal(preset: Preset, upstream: ResponseHead, content: Buffer, request: UpstreamInput): Buffer {
  const relayed = downstreamResponse(preset, { ...upstream, body: content.toString('latin1') }, { date: new Date().toUTCString(), request });
  const head = Buffer.from(serializeResponseHead(relayed), 'latin1');
  if (relayed.body === undefined || relayed.body === '') {
    const chunkedEmpty = /chunked/i.test(headerValue(relayed.headers, 'transfer-encoding') ?? '');
    return chunkedEmpty ? Buffer.concat([head, Buffer.from('0\r\n\r\n')]) : head;
  }
  const body = Buffer.from(relayed.body, 'latin1');
  if (!/chunked/i.test(headerValue(relayed.headers, 'transfer-encoding') ?? '')) return Buffer.concat([head, body]);
  return Buffer.concat([head, Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
}
