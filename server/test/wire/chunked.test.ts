import { describe, expect, it } from 'vitest';
import { ChunkedDecoder, dechunk } from '../../src/wire/chunked.ts';
import { MessageBody } from '../../src/wire/message-body.ts';
import type { ResponseHead } from '../../src/wire/http-head.ts';

// One chunked decoder for the proxy relaying a refusal, the tap recording it, and the tests.

const chunked = (...parts: string[]) => `${parts.map((p) => `${Buffer.byteLength(p).toString(16)}\r\n${p}\r\n`).join('')}0\r\n\r\n`;

describe('ChunkedDecoder', () => {
  it('decodes a body however it is split, down to one byte at a time', () => {
    const wire = Buffer.from(chunked('upgrade ', "token not found in 'Connection'", '\n'));
    for (let size = 1; size <= wire.length; size++) {
      const decoder = new ChunkedDecoder();
      const out: Buffer[] = [];
      for (let at = 0; at < wire.length; at += size) out.push(...decoder.push(wire.subarray(at, at + size)));
      expect([size, Buffer.concat(out).toString(), decoder.complete]).toEqual([size, "upgrade token not found in 'Connection'\n", true]);
    }
  });

  it('ignores chunk extensions and trailers, and says when a size line is not one', () => {
    expect(dechunk(Buffer.from('4;name=x\r\nWiki\r\n0\r\nX-Trailer: 1\r\n\r\n'))).toEqual({ content: Buffer.from('Wiki'), complete: true });
    const decoder = new ChunkedDecoder();
    expect(Buffer.concat(decoder.push(Buffer.from('4\r\nWiki\r\nzz\r\n'))).toString()).toBe('Wiki');
    expect(decoder.error).toMatch(/not a chunk size/);
    expect(dechunk(Buffer.from('4\r\nWi'))).toEqual({ content: Buffer.from('Wi'), complete: false });
  });
});

describe('MessageBody', () => {
  const head = (headers: [string, string][], status = 426): ResponseHead => ({ httpVersion: '1.1', status, reason: '', headers });
  const collect = (h: ResponseHead, parts: string[], cap = 1024, end = false) =>
    new Promise<{ content: string; complete: boolean }>((resolve) => {
      const body = new MessageBody(h, cap, (content, complete) => resolve({ content: content.toString(), complete }));
      for (const p of parts) body.push(Buffer.from(p));
      if (end) body.end();
    });

  it('ends at Content-Length, at the last chunk, or at the connection’s end', async () => {
    expect(await collect(head([['Content-Length', '5']]), ['hel', 'lo', 'ignored'])).toEqual({ content: 'hello', complete: true });
    expect(await collect(head([['Transfer-Encoding', 'chunked']]), [chunked('he', 'llo')])).toEqual({ content: 'hello', complete: true });
    expect(await collect(head([]), ['hel', 'lo'], 1024, true)).toEqual({ content: 'hello', complete: true });
    expect(await collect(head([['Content-Length', '0']]), [])).toEqual({ content: '', complete: true });
  });

  it('keeps at most its cap, and stops there', async () => {
    expect(await collect(head([]), ['0123456789', 'abc'], 4)).toEqual({ content: '0123', complete: false });
  });
});
