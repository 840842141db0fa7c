import type { FrameEvent, RequestEvent, ResponseEvent } from '../server/src/transcript/types.ts';
import { expect, recorded, sessionOf, test } from './lesson-kit.ts';
import { captureRelay, inflateMessages, parseFrames, splitHead, type WireFrame } from './wire-capture.ts';

// The lab's record against the wire itself. Chromium talks to the echo server through a relay
// this test runs, which writes every byte it passes to a file; the files are parsed here by a
// plain reading of RFC 6455 and RFC 7692, sharing nothing with the lab's decoder. The session
// has permessage-deflate on, a message larger than the 64 KiB copy cap, fragmented echoes, a
// ping and a close: the lab's frames must be what the bytes say, capped where it caps.

const CAP = 64 * 1024;

test('the lab records exactly what crossed the wire: deflate, a message over the cap, fragments, ping, close', async ({ labPage: page, lab }) => {
  const capture = await captureRelay(lab.ports.echo);
  try {
    const session = sessionOf(page);
    const conn = 'wire-capture';
    const url = `ws://127.0.0.1:${capture.port}/echo?lab=${session}&conn=${conn}&deflate=on`;
    // Random base64 barely compresses: about 130 KB of text, 100 KB on the wire.
    const big = await page.evaluate(() => {
      const bytes = new Uint8Array(100_000);
      for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
      return btoa(String.fromCharCode(...bytes));
    });
    const received = await page.evaluate(
      async ({ url, big, session, conn }) => {
        const act = (body: object) =>
          fetch(`/api/sessions/${session}/connections/${conn}/actions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
        const ws = new WebSocket(url);
        const messages: string[] = [];
        let next: ((m: string) => void) | undefined;
        ws.onmessage = (m) => {
          messages.push(String(m.data));
          next?.(String(m.data));
        };
        const echo = (text: string) => new Promise<string>((resolve) => ((next = resolve), ws.send(text)));
        await new Promise((resolve) => (ws.onopen = resolve));
        await echo(big);
        await echo('after the big one: still inflated?');
        await act({ action: 'fragment', count: 3 });
        await echo('this echo comes back in three frames, uncompressed');
        await act({ action: 'ping', payload: 'are you there' });
        await echo(`${big.slice(-2000)} and its tail again`);
        const closed = new Promise<{ code: number; reason: string; wasClean: boolean }>((resolve) => (ws.onclose = (e) => resolve({ code: e.code, reason: e.reason, wasClean: e.wasClean })));
        ws.close(1000, 'done');
        return { messages, close: await closed };
      },
      { url, big, session, conn },
    );
    expect(received.close).toEqual({ code: 1000, reason: 'done', wasClean: true });
    expect(received.messages).toHaveLength(4);

    await expect.poll(() => recorded(lab, page, conn).events.some((e) => e.kind === 'close' && e.observer === 'echo')).toBe(true);
    const events = recorded(lab, page, conn).events.filter((e) => e.observer === 'echo');
    const { up, down } = capture.read();

    // The handshake, both ways, header for header.
    const request = splitHead(up);
    const response = splitHead(down);
    const labRequest = events.find((e): e is RequestEvent => e.kind === 'request')!;
    const labResponse = events.find((e): e is ResponseEvent => e.kind === 'response')!;
    expect(`${labRequest.method} ${labRequest.target} HTTP/${labRequest.httpVersion}`).toBe(request.head.startLine);
    expect(labRequest.headers).toEqual(request.head.headers);
    expect(`HTTP/${labResponse.httpVersion} ${labResponse.status} ${labResponse.reason}`).toBe(response.head.startLine);
    expect(labResponse.headers).toEqual(response.head.headers);
    const negotiated = response.head.headers.find(([n]) => n.toLowerCase() === 'sec-websocket-extensions')?.[1] ?? '';
    expect(negotiated).toMatch(/^permessage-deflate/);

    // Every frame, both ways, as the bytes say.
    const wire = { up: parseFrames(request.rest), down: parseFrames(response.rest) };
    inflateMessages(wire.up, /client_no_context_takeover/.test(negotiated));
    inflateMessages(wire.down, /server_no_context_takeover/.test(negotiated));
    const labFrames = (from: string) => events.filter((e): e is FrameEvent => e.kind === 'frame' && e.from === from);
    expect(labFrames('browser').map(asRecorded)).toEqual(wire.up.map(expected));
    expect(labFrames('echo').map(asRecorded)).toEqual(wire.down.map(expected));

    // What the session was meant to contain really is on the wire.
    // Chromium sends the big message in frames under the cap; the echo server's ws sends it whole, over the cap.
    const bigUp = wire.up.findIndex((f) => f.inflated?.toString() === big);
    let firstUp = bigUp;
    while (firstUp > 0 && wire.up[firstUp]!.opcode === 0x0) firstUp--;
    expect(wire.up.slice(firstUp, bigUp + 1).reduce((n, f) => n + f.length, 0)).toBeGreaterThan(CAP);
    const bigDown = wire.down.find((f) => f.inflated?.toString() === big)!;
    expect(bigDown).toMatchObject({ opcode: 0x1, fin: true, rsv1: true });
    expect(bigDown.length).toBeGreaterThan(CAP);
    expect(wire.down.filter((f) => f.opcode === 0x0)).toHaveLength(2);
    expect(wire.down.some((f) => f.opcode === 0x9 && f.payload.toString() === 'are you there')).toBe(true);
    expect(wire.up.some((f) => f.opcode === 0xa && f.payload.toString() === 'are you there')).toBe(true);
    expect(wire.up.filter((f) => f.opcode === 0x8)).toHaveLength(1);
    expect(wire.up.every((f) => f.masked) && wire.down.every((f) => !f.masked)).toBe(true);
    expect(received.messages.at(-1)).toBe(`${big.slice(-2000)} and its tail again`);

    const close = events.find((e) => e.kind === 'close');
    expect(close).toMatchObject({ code: 1000, reason: 'done', wasClean: true });
    expect(events.filter((e) => e.kind === 'error')).toEqual([]);
  } finally {
    await capture.close();
  }
});

/** The fields a frame event shares with the wire, payloads as the lab keeps them (base64, capped). */
function asRecorded(f: FrameEvent) {
  return {
    fin: f.fin, rsv1: f.rsv1, rsv2: f.rsv2, rsv3: f.rsv3, opcode: f.opcode, masked: f.masked, maskKey: f.maskKey, length: f.length,
    payload: f.payload, truncated: f.truncated, inflated: f.inflated, inflatedLength: f.inflatedLength, close: f.close,
  };
}

/** What the lab should have recorded for a frame parsed from the capture. */
function expected(f: WireFrame) {
  return {
    fin: f.fin, rsv1: f.rsv1, rsv2: f.rsv2, rsv3: f.rsv3, opcode: f.opcode, masked: f.masked, maskKey: f.maskKey, length: f.length,
    payload: f.payload.subarray(0, CAP).toString('base64'),
    truncated: f.length > CAP,
    inflated: f.inflated?.subarray(0, CAP).toString('base64'),
    inflatedLength: f.inflated?.length,
    close: f.opcode === 0x8 ? closeBody(f.payload) : undefined,
  };
}

function closeBody(payload: Buffer) {
  return payload.length < 2 ? { reason: '' } : { code: payload.readUInt16BE(0), reason: payload.subarray(2).toString('utf8') };
}
