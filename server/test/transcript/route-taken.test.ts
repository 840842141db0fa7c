import { describe, expect, it } from 'vitest';
import { MemoryTranscriptStore } from '../../src/transcript/store.ts';

// The store's side of "the route is what the wire showed": the page's registration is a
// choice, the first hop's an observation. Driven through the store's own interface, as the
// API and the listeners call it.

describe('openConnection keeps the route the first hop saw', () => {
  const url = 'ws://127.0.0.1:8089/echo?conn=c';

  it('the page chose the forward proxy, the echo server saw it first: direct', () => {
    const store = new MemoryTranscriptStore();
    const s = store.createSession();
    expect(store.openConnection(s, 'c', { url, route: 'forward-proxy', chosen: true })).toMatchObject({ route: 'forward-proxy', chosenRoute: 'forward-proxy' });
    expect(store.openConnection(s, 'c', { url, route: 'direct' })).toMatchObject({ route: 'direct', chosenRoute: 'forward-proxy', url });
    // The page's later reports carry its choice again: they change nothing.
    expect(store.openConnection(s, 'c', { url, route: 'forward-proxy', chosen: true })).toMatchObject({ route: 'direct', chosenRoute: 'forward-proxy' });
  });

  it('the forward proxy first, the reverse proxy behind it: the route stays forward-proxy, the preset is the reverse proxy\'s', () => {
    const store = new MemoryTranscriptStore();
    const s = store.createSession();
    store.openConnection(s, 'c', { url, route: 'reverse-proxy', preset: 'nginx-default', chosen: true });
    expect(store.openConnection(s, 'c', { url, route: 'forward-proxy' })).toMatchObject({ route: 'forward-proxy', chosenRoute: 'reverse-proxy' });
    expect(store.connectionMeta(s, 'c')?.preset).toBeUndefined();
    expect(store.openConnection(s, 'c', { url, route: 'reverse-proxy', preset: 'nginx-websocket' })).toMatchObject({ route: 'forward-proxy', preset: 'nginx-websocket' });
    expect(store.openConnection(s, 'c', { url, route: 'direct' })).toMatchObject({ route: 'forward-proxy', preset: 'nginx-websocket' });
  });

  it('a terminal client (no page): the first hop\'s route, nothing chosen', () => {
    const store = new MemoryTranscriptStore();
    const s = store.createSession();
    store.openConnection(s, 'c', { url, route: 'nginx', preset: 'nginx-websocket' });
    expect(store.openConnection(s, 'c', { url, route: 'direct' })).toEqual(expect.objectContaining({ route: 'nginx', preset: 'nginx-websocket' }));
    expect(store.connectionMeta(s, 'c')?.chosenRoute).toBeUndefined();
  });

  it('until a hop sees it, the route is the chosen one', () => {
    const store = new MemoryTranscriptStore();
    const s = store.createSession();
    store.openConnection(s, 'c', { url, route: 'nginx', preset: 'nginx-websocket', chosen: true });
    expect(store.read(s)?.connections[0]).toMatchObject({ route: 'nginx', chosenRoute: 'nginx', preset: 'nginx-websocket' });
  });
});
