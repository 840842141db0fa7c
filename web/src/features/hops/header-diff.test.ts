import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Connection, HeaderList } from '../../../../server/src/transcript/types.ts';
import { describeChange, diffHeaders, isDifference, NEW_PER_CONNECTION } from './header-diff.ts';
import { messageChain, pairOf, previousHop } from './message-hops.ts';
import { buildSequence, partiesOf, stepTitle } from './sequence.ts';

// What Chromium sent the bundled proxy, and what the nginx-websocket preset sent upstream
// (recorded in server/test/diagnose/fixtures/proxy-nginx-websocket.json).
const RECEIVED: HeaderList = [
  ['Sec-WebSocket-Version', '13'],
  ['Sec-WebSocket-Key', 'EDohJRo+MSF2s/gVTfOZww=='],
  ['Connection', 'Upgrade'],
  ['Upgrade', 'websocket'],
  ['Sec-WebSocket-Extensions', 'permessage-deflate; client_max_window_bits'],
  ['Origin', 'http://127.0.0.1:8080'],
  ['Host', '127.0.0.1:8090'],
];
const SENT_UPSTREAM: HeaderList = [
  ['Upgrade', 'websocket'],
  ['Connection', 'upgrade'],
  ['Host', '127.0.0.1:8089'],
  ['Sec-WebSocket-Version', '13'],
  ['Sec-WebSocket-Key', 'EDohJRo+MSF2s/gVTfOZww=='],
  ['Sec-WebSocket-Extensions', 'permessage-deflate; client_max_window_bits'],
  ['Origin', 'http://127.0.0.1:8080'],
];

function connection(name: string): Connection {
  const url = new URL(`../../../../server/test/diagnose/fixtures/${name}.json`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { connection: Connection }).connection;
}

const byName = (rows: ReturnType<typeof diffHeaders>) => Object.fromEntries(rows.map((r) => [r.name, r]));

describe('diffHeaders', () => {
  it('compare: two connections with a new Sec-WebSocket-Key each have no difference', () => {
    const other: HeaderList = RECEIVED.map(([n, v]) => [n, n === 'Sec-WebSocket-Key' ? 'dGhlIHNhbXBsZSBub25jZQ==' : v]);
    const rows = diffHeaders(RECEIVED, other, { differByDesign: NEW_PER_CONNECTION });
    expect(rows.filter(isDifference)).toEqual([]);
    const key = byName(rows)['Sec-WebSocket-Key']!;
    expect(key).toMatchObject({ change: 'changed', byDesign: true });
    expect(describeChange(key)).toBe('new for every connection (RFC 6455 §4.1), so not a difference');
    // Without the option (two hops of one connection), a changed key is a difference.
    expect(diffHeaders(RECEIVED, other).filter(isDifference).map((r) => r.name)).toEqual(['Sec-WebSocket-Key']);
  });

  it('nginx-websocket: Connection and Upgrade re-created by the proxy, Host rewritten, the rest forwarded in order', () => {
    const rows = byName(diffHeaders(RECEIVED, SENT_UPSTREAM, { throughProxy: true }));
    expect(rows.Connection).toMatchObject({ change: 'changed', before: 'Upgrade', after: 'upgrade', hopByHop: true, proxy: 're-created', reordered: true });
    expect(rows.Upgrade).toMatchObject({ change: 'reordered', hopByHop: true, proxy: 're-created' });
    expect(rows.Host).toMatchObject({ change: 'changed', before: '127.0.0.1:8090', after: '127.0.0.1:8089', hopByHop: false, reordered: true });
    for (const name of ['Sec-WebSocket-Version', 'Sec-WebSocket-Key', 'Sec-WebSocket-Extensions', 'Origin']) {
      expect(rows[name]).toMatchObject({ change: 'unchanged', reordered: false });
      expect(rows[name]!.proxy).toBeUndefined();
    }
    expect(describeChange(rows.Connection!)).toBe('re-created by the proxy, value changed, reordered');
    expect(describeChange(rows.Upgrade!)).toBe('re-created by the proxy, reordered');
    expect(describeChange(rows.Host!)).toBe('value changed, reordered');
  });

  it('rows follow the later hop, removed headers where they stood on the earlier one', () => {
    const rows = diffHeaders(
      [['A', '1'], ['Upgrade', 'websocket'], ['B', '2']],
      [['X-New', 'n'], ['A', '1'], ['B', '2']],
    );
    expect(rows.map((r) => [r.name, r.change])).toEqual([
      ['X-New', 'added'],
      ['A', 'unchanged'],
      ['Upgrade', 'removed'],
      ['B', 'unchanged'],
    ]);
    expect(rows[2]).toMatchObject({ hopByHop: true, before: 'websocket' });
    expect(rows.filter(isDifference).map((r) => r.name)).toEqual(['X-New', 'Upgrade']);
  });

  it('pairs duplicates in order, notices a change of case, and names headers listed in Connection as hop-by-hop', () => {
    const rows = diffHeaders(
      [['Connection', 'Upgrade, X-Trace'], ['X-Trace', 'a'], ['Cookie', '1'], ['Cookie', '2']],
      [['connection', 'Upgrade, X-Trace'], ['X-Trace', 'a'], ['Cookie', '2'], ['Cookie', '1']],
    );
    expect(rows.map((r) => [r.name, r.change, r.hopByHop])).toEqual([
      ['connection', 'changed', true],
      ['X-Trace', 'unchanged', true],
      ['Cookie', 'changed', false],
      ['Cookie', 'changed', false],
    ]);
    expect(describeChange(rows[0]!)).toBe('name was Connection');
    // Across the wire (not through a proxy) nothing is said about what a proxy did.
    expect(rows.some((r) => r.proxy !== undefined)).toBe(false);
  });

  it('a hop-by-hop header passed through untouched is called forwarded, as nginx does with Proxy-Connection', () => {
    const rows = byName(
      diffHeaders(
        [['Sec-WebSocket-Version', '13'], ['Connection', 'Upgrade'], ['Upgrade', 'websocket'], ['Proxy-Connection', 'keep-alive'], ['Origin', 'o'], ['Host', 'a']],
        [['Upgrade', 'websocket'], ['Connection', 'upgrade'], ['Host', 'b'], ['Sec-WebSocket-Version', '13'], ['Proxy-Connection', 'keep-alive'], ['Origin', 'o']],
        { throughProxy: true },
      ),
    );
    expect(rows['Proxy-Connection']).toMatchObject({ change: 'unchanged', hopByHop: true, proxy: 'forwarded' });
    expect(describeChange(rows['Proxy-Connection']!)).toBe('forwarded by the proxy, though hop-by-hop');
    expect(isDifference(rows['Proxy-Connection']!)).toBe(true);
    expect(rows.Upgrade?.proxy).toBe('re-created');
  });

  it('the headers a proxy plainly forwarded anchor the order; the ones it wrote are the ones reordered', () => {
    // nginx-default's 426 as relayed: nginx's own headers first, its own Connection, the upstream's Upgrade last.
    const rows = byName(
      diffHeaders(
        [['Connection', 'close'], ['Upgrade', 'websocket'], ['Content-Type', 'text/plain'], ['Content-Length', '25']],
        [['Server', 'lab'], ['Content-Type', 'text/plain'], ['Content-Length', '25'], ['Connection', 'keep-alive'], ['Upgrade', 'websocket']],
        { throughProxy: true },
      ),
    );
    expect(rows['Content-Type']).toMatchObject({ change: 'unchanged', reordered: false });
    expect(rows['Content-Length']).toMatchObject({ change: 'unchanged', reordered: false });
    expect(rows.Connection).toMatchObject({ change: 'changed', reordered: true, proxy: 're-created' });
    expect(rows.Server).toMatchObject({ change: 'added' });
  });

  it('identical heads: nothing to show', () => {
    expect(diffHeaders(SENT_UPSTREAM, SENT_UPSTREAM).filter(isDifference)).toEqual([]);
  });
});

describe('message hops', () => {
  it('orders each message along its way and says which pair is the proxy\'s doing', () => {
    const c = connection('proxy-nginx-default');
    const parties = partiesOf(c);
    expect(parties).toEqual(['browser', 'reverse-proxy', 'echo']);
    const requests = messageChain(c.events, 'request', parties);
    expect(requests.map((e) => `${e.observer}:${e.from}>${e.to}`)).toEqual([
      'reverse-proxy:browser>reverse-proxy',
      'reverse-proxy:reverse-proxy>echo',
      'echo:reverse-proxy>echo',
    ]);
    const responses = messageChain(c.events, 'response', parties);
    expect(responses.map((e) => `${e.observer}:${e.from}>${e.to}`)).toEqual([
      'echo:echo>reverse-proxy',
      'reverse-proxy:echo>reverse-proxy',
      'reverse-proxy:reverse-proxy>browser',
    ]);
    const through = pairOf(requests[0]!, requests[1]!);
    expect(through.relation).toBe('through');
    const rows = byName(through.rows);
    expect(rows.Upgrade).toMatchObject({ change: 'removed', hopByHop: true });
    expect(rows.Connection).toMatchObject({ before: 'Upgrade', after: 'close', proxy: 're-created' });
    const wire = previousHop(c.events, parties, requests[2]!);
    expect(wire?.relation).toBe('wire');
    expect(wire?.rows.filter(isDifference)).toEqual([]);
    expect(previousHop(c.events, parties, requests[0]!)).toBeUndefined();
  });

  it('collapses frames into one arrow per leg and observer', () => {
    const c = connection('proxy-nginx-websocket');
    const frames = buildSequence(c).steps.filter((s) => s.kind === 'frames');
    const legs = frames.map((s) => `${s.observer}:${s.from}>${s.to}`);
    expect(new Set(legs).size).toBe(legs.length);
    expect(frames.reduce((n, s) => n + (s.kind === 'frames' ? s.frames.length : 0), 0)).toBe(c.events.filter((e) => e.kind === 'frame').length);
    expect(stepTitle(frames[0]!)).toMatch(/^\d+ frames? \(/);
  });
});
