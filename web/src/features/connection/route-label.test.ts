// The route badge says what the wire showed, and what the page chose when that differs.
// Transcripts recorded by the lab's own hops (server/test/diagnose/fixtures) plus the page's choice.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Connection, LabEvent } from '../../../../server/src/transcript/types.ts';
import { routeLabel } from './route-label.ts';

function recorded(name: string): Connection {
  const url = new URL(`../../../../server/test/diagnose/fixtures/${name}.json`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { connection: Connection }).connection;
}

describe('the route badge', () => {
  it('a direct connection the page chose as the forward proxy: no CONNECT arrived', () => {
    const c = { ...recorded('healthy-direct'), chosenRoute: 'forward-proxy' as const };
    expect(routeLabel(c)).toEqual({ text: 'direct (forward proxy was chosen, but no CONNECT arrived)', warn: true });
  });

  it('a route as chosen reads plainly, with its preset', () => {
    expect(routeLabel({ ...recorded('proxy-nginx-websocket'), chosenRoute: 'reverse-proxy' })).toEqual({ text: 'reverse-proxy · nginx-websocket', warn: false });
    expect(routeLabel(recorded('healthy-direct'))).toEqual({ text: 'direct', warn: false });
  });

  it('a CONNECT the page did not ask for, and the proxy behind the tunnel', () => {
    const events: LabEvent[] = [
      { seq: 1, time: '', kind: 'connect', observer: 'forward-proxy', from: 'browser', to: 'forward-proxy', target: '127.0.0.1:8090', headers: [] },
      { seq: 2, time: '', kind: 'request', observer: 'forward-proxy', from: 'browser', to: 'reverse-proxy', method: 'GET', target: '/nginx-websocket/echo', httpVersion: '1.1', headers: [] },
    ];
    const c = { route: 'forward-proxy' as const, chosenRoute: 'reverse-proxy' as const, preset: 'nginx-websocket', events };
    expect(routeLabel(c)).toEqual({ text: 'forward-proxy → reverse-proxy · nginx-websocket (reverse proxy was chosen, but the browser sent a CONNECT)', warn: true });
  });

  it('until a hop sees it, the route is only the chosen one (the page\'s own reports do not count)', () => {
    const events: LabEvent[] = [{ seq: 1, time: '', kind: 'error', observer: 'browser', from: 'nginx', to: 'browser', code: 'error-event', message: '' }];
    expect(routeLabel({ route: 'nginx', chosenRoute: 'nginx', events })).toEqual({ text: 'nginx (chosen; no hop has seen it)', warn: true });
  });
});
