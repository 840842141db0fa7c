import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStore, defaultDataDir } from '../../src/persist/index.ts';
import { CapturedFrame, ENCODE_AT_ONCE_BYTES } from '../../src/transcript/captured-frame.ts';
import type { NewEvent, Transcript } from '../../src/transcript/types.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lab-sessions-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const request: NewEvent = { kind: 'request', observer: 'echo', from: 'browser', to: 'echo', method: 'GET', target: '/echo', httpVersion: '1.1', headers: [['Host', 'x']] };
const frame = (text: string): NewEvent => ({
  kind: 'frame', observer: 'echo', from: 'browser', to: 'echo', fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 1, masked: true, maskKey: '01020304',
  length: Buffer.byteLength(text), payload: Buffer.from(text).toString('base64'), truncated: false,
});

function open(limits = {}) {
  return createStore(limits, dir);
}

describe('sessions on disk', () => {
  it('reads every session back after a restart, its connections read-only', async () => {
    const first = open();
    expect(first.sessions.file).toBe(join(dir, 'sessions.sqlite'));
    const { store } = first;
    const id = store.createSession();
    store.openConnection(id, 'c1', { url: 'ws://127.0.0.1:8090/nginx-websocket/echo', route: 'reverse-proxy', preset: 'nginx-websocket' });
    store.append(id, 'c1', request);
    for (let i = 0; i < 5000; i++) store.append(id, 'c1', frame(`message ${i}`));
    store.openConnection('default', 't1', { url: 'ws://127.0.0.1:8089/', route: 'direct' });
    store.append('default', 't1', frame('from a terminal'));
    const before = store.read(id)!;
    const terminal = store.read('default')!;
    await first.close();

    const second = open();
    expect(second.sessions.restored).toBe(2);
    const after = second.store.read(id)!;
    const restoredAt = after.connections[0]!.restoredAt;
    expect(restoredAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(after).toEqual({ ...before, connections: before.connections.map((c) => ({ ...c, restoredAt })) });
    expect(second.store.read('default')!.connections[0]!.events).toEqual(terminal.connections[0]!.events);

    // Nothing more is recorded on a restored connection, and actions are refused with the reason.
    expect(second.store.append(id, 'c1', frame('late'))).toBeUndefined();
    expect(second.store.readOnly(id, 'c1')).toMatch(/recorded before the lab restarted: it is read-only/);
    // The session itself goes on: a new connection in it is recorded, numbered after the old events.
    second.store.openConnection(id, 'c2', { url: 'ws://127.0.0.1:8089/', route: 'direct' });
    expect(second.store.readOnly(id, 'c2')).toBeUndefined();
    expect(second.store.append(id, 'c2', frame('after the restart'))?.seq).toBe(5002);
    await second.close();

    const third = open();
    expect(third.store.read(id)!.connections.map((c) => [c.id, c.events.length])).toEqual([
      ['c1', 5001],
      ['c2', 1],
    ]);
    await third.close();
  });

  it('keeps the bytes of frames the hops captured, small ones encoded at once and large ones held as bytes', async () => {
    const first = open();
    const id = first.store.createSession();
    first.store.openConnection(id, 'c1', { url: 'ws://127.0.0.1:8089/', route: 'direct' });
    const seen = { observer: 'echo', from: 'browser', to: 'echo' } as const;
    // A large payload as the decoder hands it: a view into a bigger buffer, which must not travel whole.
    const slab = Buffer.alloc(256 * 1024);
    for (let i = 0; i < slab.length; i++) slab[i] = (i * 7) & 0xff;
    const payloads = [Buffer.from('small'), slab.subarray(1000, 1000 + ENCODE_AT_ONCE_BYTES + 1), slab.subarray(5000, 5000 + 64 * 1024)];
    for (const payload of payloads) {
      const facts = { fin: true, rsv1: true, rsv2: false, rsv3: false, opcode: 2, masked: false, length: payload.length, payload, truncated: false };
      first.store.append(id, 'c1', new CapturedFrame(seen, facts, { data: Buffer.concat([payload, payload]), length: payload.length * 2 }) as never);
    }
    const before = JSON.parse(JSON.stringify(first.store.read(id))) as Transcript;
    await first.close();

    const second = open();
    const events = second.store.read(id)!.connections[0]!.events;
    expect(events.map((e) => (e.kind === 'frame' ? Buffer.from(e.payload, 'base64') : undefined))).toEqual(payloads.map((p) => Buffer.from(p)));
    expect(events.map((e) => (e.kind === 'frame' ? e.inflated : undefined))).toEqual(payloads.map((p) => Buffer.concat([p, p]).toString('base64')));
    expect(events).toEqual(before.connections[0]!.events);
    await second.close();
  });

  it('keeps an imported session imported, and its dropped counts', async () => {
    const first = open();
    const transcript: Transcript = {
      format: 'ws-upgrade-lab/transcript', version: 1, session: 'x', dropped: { events: 3, payloadBytes: 99 },
      connections: [{ id: 'c1', url: 'ws://h/', route: 'direct', startedAt: '2026-01-01T00:00:00.000Z', events: [{ ...request, seq: 1, time: '2026-01-01T00:00:00.000Z' } as never] }],
    };
    const created = first.store.importSession(transcript, { from: 'transcript', name: 'class.json', at: '2026-01-02T00:00:00.000Z' });
    if ('error' in created) throw new Error(created.error);
    await first.close();
    const second = open();
    const back = second.store.read(created.id)!;
    expect(back.imported).toEqual({ from: 'transcript', name: 'class.json', at: '2026-01-02T00:00:00.000Z' });
    expect(back.dropped).toEqual({ events: 3, payloadBytes: 99 });
    expect(back.connections[0]!.restoredAt).toBeUndefined();
    expect(second.store.readOnly(created.id)).toMatch(/opened from a transcript file \(class\.json\)/);
    await second.close();
  });

  it('stays within the capture budget: an evicted session is gone from the disk too', async () => {
    const first = open({ captureBudget: 64 * 1024 });
    const { store } = first;
    const old = store.createSession();
    store.openConnection(old, 'c1', { url: 'ws://h/', route: 'direct' });
    for (let i = 0; i < 100; i++) store.append(old, 'c1', frame('x'.repeat(300)));
    const recent = store.createSession();
    store.openConnection(recent, 'c1', { url: 'ws://h/', route: 'direct' });
    for (let i = 0; i < 100; i++) store.append(recent, 'c1', frame('y'.repeat(300)));
    expect(store.hasSession(old)).toBe(false);
    await first.close();
    const second = open({ captureBudget: 64 * 1024 });
    expect(second.store.hasSession(old)).toBe(false);
    expect(second.store.read(recent)!.connections[0]!.events).toHaveLength(100);
    await second.close();
    // Restarted with a budget smaller than the session: it does not fit, so it is gone, from the disk too.
    const third = open({ captureBudget: 16 * 1024 });
    expect(third.store.hasSession(recent)).toBe(false);
    await third.close();
    const fourth = open();
    expect(fourth.sessions.restored).toBe(1); // the default session
    expect(fourth.store.hasSession(recent)).toBe(false);
    await fourth.close();
  });

  it('one lab per folder: a second one on it runs ephemeral and says why', async () => {
    const first = open();
    await first.ready;
    const second = open();
    expect(second.sessions.file).toBeUndefined();
    expect(second.sessions.ephemeral).toMatch(/\(database is locked\); the lab runs ephemeral\. Another lab is using this folder: stop it, or give this one its own --data-dir\./);
    await first.close();
    const third = open();
    expect(third.sessions.file).toBe(join(dir, 'sessions.sqlite'));
    await third.close();
  });

  it('defaults to the user’s cache folder', () => {
    expect(defaultDataDir({ XDG_CACHE_HOME: '/var/cache/me' })).toBe('/var/cache/me/websocket-upgrade-lab');
    expect(defaultDataDir({ HOME: '/home/me' })).toMatch(/\/\.cache\/websocket-upgrade-lab$/);
    // A relative XDG_CACHE_HOME is invalid (XDG Base Directory spec): ignored.
    expect(defaultDataDir({ XDG_CACHE_HOME: 'relative' })).toMatch(/\/\.cache\/websocket-upgrade-lab$/);
  });

  it('runs ephemeral, saying why, when the folder cannot be written', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const { store, sessions } = createStore({}, join(file, 'lab'));
    expect(sessions.file).toBeUndefined();
    expect(sessions.ephemeral).toMatch(/Sessions cannot be kept in .*\/a-file\/lab\/sessions\.sqlite \(ENOTDIR.+\); the lab runs ephemeral/);
    expect(store.createSession()).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});
