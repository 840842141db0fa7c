import { describe, expect, it } from 'vitest';
import type { Connection, Transcript } from '../../../server/src/transcript/types.ts';
import { buildScenario, scenarioName } from './build.ts';
import { lessonSource, specSource } from './sources.ts';
import type { RecordedAction } from './types.ts';

const ORIGIN = 'http://127.0.0.1:8080';
const seen = { time: '2026-01-01T00:00:00.000Z' };

function connection(id: string, preset: string, upgraded: boolean): Connection {
  let seq = 0;
  const ev = <T extends object>(e: T) => ({ ...seen, seq: ++seq, ...e });
  return {
    id,
    url: `ws://127.0.0.1:8090/${preset}/echo?lab=s1&conn=${id}`,
    route: 'reverse-proxy',
    preset,
    startedAt: seen.time,
    events: [
      ev({ kind: 'request', observer: 'reverse-proxy', from: 'browser', to: 'reverse-proxy', method: 'GET', target: '/x', httpVersion: '1.1', headers: [['Upgrade', 'websocket'], ['Connection', 'Upgrade']] }),
      ev({ kind: 'request', observer: 'echo', from: 'reverse-proxy', to: 'echo', method: 'GET', target: '/x', httpVersion: upgraded ? '1.1' : '1.0', headers: upgraded ? [['Upgrade', 'websocket'], ['Connection', 'upgrade']] : [['Connection', 'close']] }),
      ev({ kind: 'response', observer: 'echo', from: 'echo', to: 'reverse-proxy', status: upgraded ? 101 : 426, reason: '', httpVersion: '1.1', headers: [] }),
      ev({ kind: 'response', observer: 'reverse-proxy', from: 'echo', to: 'reverse-proxy', status: upgraded ? 101 : 426, reason: '', httpVersion: '1.1', headers: [] }),
      ev({ kind: 'response', observer: 'reverse-proxy', from: 'reverse-proxy', to: 'browser', status: upgraded ? 101 : 426, reason: '', httpVersion: '1.1', headers: [] }),
      ev({ kind: 'close', observer: 'browser', from: 'reverse-proxy', to: 'browser', code: upgraded ? 1000 : 1006, reason: '', wasClean: upgraded }),
    ],
  } as Connection;
}

const transcript: Transcript = { format: 'ws-upgrade-lab/transcript', version: 1, session: 's1', connections: [connection('c-1', 'nginx-websocket', true), connection('c-2', 'nginx-default', false)] };

const actions: RecordedAction[] = [
  { do: 'connect', session: 's1', conn: 'c-1', url: `ws://127.0.0.1:8090/nginx-websocket/echo?lab=s1&conn=c-1&protocols=chat&deflate=on&origin=${ORIGIN}`, route: 'reverse-proxy', preset: 'nginx-websocket', protocols: ['chat'] },
  { do: 'send', session: 's1', conn: 'c-1', text: 'hi "there"' },
  { do: 'send-binary', session: 's1', conn: 'c-1', bytes: 3 },
  { do: 'connect', session: 'other', conn: 'c-9', url: 'ws://127.0.0.1:8089/echo?lab=other&conn=c-9', route: 'direct', protocols: [] },
  { do: 'connect', session: 's1', conn: 'c-3', url: 'ws://127.0.0.1:8089/echo?lab=s1&conn=c-3', route: 'forward-proxy', protocols: [] },
  { do: 'server', session: 's1', conn: 'c-1', action: { action: 'ping', payload: 'p' } },
  { do: 'close', session: 's1', conn: 'c-1', code: 1000, reason: '' },
  { do: 'connect', session: 's1', conn: 'c-2', url: 'ws://127.0.0.1:8090/nginx-default/echo?lab=s1&conn=c-2', route: 'reverse-proxy', preset: 'nginx-default', protocols: [] },
];

describe('a scenario from what a tab did', () => {
  const s = buildScenario('My Bug #42', actions, transcript, ORIGIN, new Date('2026-01-01T00:00:00Z'));

  it('keeps this session’s replayable actions, the route apart from the path, the page’s origin as {origin}', () => {
    expect(scenarioName('  --  ')).toBe('my-scenario');
    expect(s.name).toBe('my-bug-42');
    expect(s.connections.map((c) => [c.alias, c.conn, c.route, c.path])).toEqual([
      ['conn1', 'c-1', 'reverse-proxy:nginx-websocket', '/echo?protocols=chat&deflate=on&origin={origin}'],
      ['conn2', 'c-2', 'reverse-proxy:nginx-default', '/echo'],
    ]);
    expect(s.connections[0]!.options).toEqual({ subprotocols: 'chat', deflate: true, origin: '{origin}' });
    expect(s.steps.map((x) => x.do)).toEqual(['connect', 'send', 'server', 'close', 'connect']);
    expect(s.skipped).toEqual([expect.stringContaining('a binary message of 3 bytes'), expect.stringContaining('c-3: a forward-proxy connection')]);
  });

  it('asserts statuses per leg, headers and HTTP versions at each hop, and the CloseEvent', () => {
    const broken = s.connections[1]!.expect;
    expect(broken).toContainEqual({ kind: 'status', on: 'conn2', status: 426 });
    expect(broken.filter((e) => e.kind === 'status' && e.from === 'echo')).toEqual([{ kind: 'status', on: 'conn2', status: 426, from: 'echo', to: 'reverse-proxy' }]);
    expect(broken).toContainEqual({ kind: 'header', on: 'conn2', event: 'request', name: 'Upgrade', present: false, from: 'reverse-proxy', to: 'echo', seenBy: 'echo' });
    expect(broken).toContainEqual({ kind: 'http-version', on: 'conn2', version: '1.0', from: 'reverse-proxy', to: 'echo', seenBy: 'echo' });
    expect(broken).toContainEqual({ kind: 'close', on: 'conn2', code: 1006, wasClean: false });
  });

  it('writes a lesson in the lessons’ format and a spec that replays every step', () => {
    const lesson = lessonSource(s);
    expect(lesson).toContain('export const myBug42: Lesson = {');
    const parsed = JSON.parse(/: Lesson = ([\s\S]*);\n$/.exec(lesson)![1]!) as { steps: { do?: unknown[] }[]; question: string };
    expect(parsed.question).toBe('fails-behind-nginx');
    expect(parsed.steps[0]!.do).toEqual([{ do: 'choose', route: 'reverse-proxy:nginx-websocket', options: { subprotocols: 'chat', deflate: true, origin: '{origin}' } }, { do: 'connect', as: 'conn1' }]);
    const spec = specSource(s);
    expect(spec).toContain(`await run.send("conn1", "hi \\"there\\"");`);
    expect(spec).toContain('// Left out: c-1: a binary message of 3 bytes');
    expect(spec).toContain(`import { test } from '../lab-fixture.ts';`);
  });
});
