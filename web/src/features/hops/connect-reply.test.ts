// Through the forward proxy, the CONNECT and its `200 Connection established` are the tunnel's,
// not steps of the WebSocket handshake: the reply has a status line and no headers, so Hops
// must not count "3 headers changed" against the 101 it relayed. Recorded through the real
// forward proxy and echo server (server/test/diagnose/fixtures/route-forward-proxy.json).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Connection } from '../../../../server/src/transcript/types.ts';
import { isConnectReply } from '../../../../server/src/shared/connect.ts';
import { messageChain } from './message-hops.ts';
import { stepTitle } from './sequence.ts';
import { hopsOf } from './use-hops.ts';

function connection(name: string): Connection {
  const url = new URL(`../../../../server/test/diagnose/fixtures/${name}.json`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { connection: Connection }).connection;
}

describe('a CONNECT reply in Hops', () => {
  const c = connection('route-forward-proxy');
  const hops = hopsOf(c);
  const step = (title: string) => hops.sequence.steps.find((s) => stepTitle(s) === title)!;

  it('is a status line with no headers, and no header counts as changed on it', () => {
    const reply = step('200 Connection established');
    expect(reply.kind === 'head' && reply.event.kind === 'response' && reply.event.headers).toEqual([]);
    expect(hops.changes.get(reply.id)).toBeUndefined();
    expect(hops.pairs.get(reply.id)).toBeUndefined();
  });

  it('the 101 inside the tunnel pairs with the echo server\'s own, unchanged on the wire', () => {
    const relayed = hops.sequence.steps.filter((s) => s.kind === 'head' && s.event.kind === 'response' && s.event.status === 101);
    expect(relayed.map((s) => `${s.observer}: ${s.from} → ${s.to}`)).toEqual(['echo: echo → forward-proxy', 'forward-proxy: echo → browser']);
    const pair = hops.pairs.get(relayed[1]!.id)!;
    expect(pair.relation).toBe('wire');
    expect(hops.changes.get(relayed[1]!.id)).toBe(0);
  });

  it('stays out of the response chain', () => {
    const chain = messageChain(c.events, 'response', hops.sequence.parties);
    expect(chain.map((e) => e.kind === 'response' && e.status)).toEqual([101, 101]);
    expect(c.events.filter(isConnectReply).map((e) => e.kind === 'response' && e.status)).toEqual([200]);
  });
});
