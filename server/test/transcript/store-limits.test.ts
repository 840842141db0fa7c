import { describe, expect, it } from 'vitest';
import { MemoryTranscriptStore } from '../../src/transcript/store.ts';
import type { NewEvent } from '../../src/transcript/types.ts';

const frame = (payload: Buffer): NewEvent => ({
  kind: 'frame', observer: 'echo', from: 'browser', to: 'echo', fin: true, rsv1: false, rsv2: false, rsv3: false,
  opcode: 1, masked: true, maskKey: '01020304', length: payload.length, payload: payload.toString('base64'), truncated: false,
});

describe('per-session buffers are bounded and say what they dropped', () => {
  it('drops frames past the event limit, counts them, and still keeps closes', () => {
    const store = new MemoryTranscriptStore({ maxEvents: 10 });
    const s = store.createSession();
    store.openConnection(s, 'c', { url: 'ws://x/', route: 'direct' });
    for (let i = 0; i < 25; i++) store.append(s, 'c', frame(Buffer.from(`m${i}`)));
    store.append(s, 'c', { kind: 'close', observer: 'echo', from: 'browser', to: 'echo', code: 1000, reason: '', wasClean: true });
    const t = store.read(s)!;
    const events = t.connections[0]!.events;
    expect(events.filter((e) => e.kind === 'frame')).toHaveLength(10);
    expect(events.at(-1)?.kind).toBe('close');
    expect(t.dropped).toEqual({ events: 15, payloadBytes: 15 * 3 });
  });

  it('drops frames past the payload byte limit', () => {
    const store = new MemoryTranscriptStore({ maxPayloadBytes: 1000 });
    const s = store.createSession();
    store.openConnection(s, 'c', { url: 'ws://x/', route: 'direct' });
    for (let i = 0; i < 5; i++) store.append(s, 'c', frame(Buffer.alloc(300)));
    expect(store.read(s)!.connections[0]!.events).toHaveLength(3);
    expect(store.read(s)!.dropped?.events).toBe(2);
  });

  it('forgets the least recently used session beyond maxSessions, never default', () => {
    const store = new MemoryTranscriptStore({ maxSessions: 3 });
    const a = store.createSession();
    const b = store.createSession();
    store.read(a);
    const c = store.createSession();
    expect(store.hasSession('default')).toBe(true);
    expect(store.hasSession(b)).toBe(false);
    expect(store.hasSession(a) && store.hasSession(c)).toBe(true);
  });

  it('session ids carry 128 bits; observations for an unknown id are filed under that id, never default', () => {
    const store = new MemoryTranscriptStore();
    const id = store.createSession();
    expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    expect(store.resolveSession('my-own-name')).toBe('my-own-name');
    store.openConnection('my-own-name', 'c', { url: 'ws://x/', route: 'direct' });
    store.append('my-own-name', 'c', { kind: 'close', observer: 'echo', from: 'browser', to: 'echo', code: 1000, reason: '', wasClean: true });
    expect(store.read('my-own-name')?.connections.map((c) => c.id)).toEqual(['c']);
    expect(store.read('default')?.connections).toEqual([]);
  });
});
