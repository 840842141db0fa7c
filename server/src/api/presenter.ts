import type { PresenterBoardState, PresenterPost, PresenterState } from './types.ts';
import type { Refused } from './boundary.ts';

/** Sessions whose presenter is remembered; beyond it the least recently updated is forgotten. */
const MAX_BOARDS = 10_000;

type Listener = (board: PresenterBoardState) => void;

interface Board {
  token: string;
  state: PresenterState;
}

/**
 * One presenter per session: the tab (by owner token) that publishes its lesson, step and
 * selection; followers get every change on the session's live stream (`event: presenter`).
 * Another tab replaces it only when it asks to take over.
 */
export class PresenterBoards {
  private readonly boards = new Map<string, Board>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private version = 0;

  get(session: string): PresenterBoardState {
    return { state: this.boards.get(session)?.state ?? null, version: this.version };
  }

  publish(session: string, token: string, post: PresenterPost): Refused | PresenterBoardState {
    const held = this.boards.get(session);
    if (held && held.token !== token && !post.takeOver) {
      return {
        status: 409,
        error: 'another browser tab presents this session; press Present again there to stop, or take over from this tab',
      };
    }
    this.boards.delete(session);
    this.boards.set(session, { token, state: post.state });
    if (this.boards.size > MAX_BOARDS) this.boards.delete(this.boards.keys().next().value!);
    return this.announce(session);
  }

  stop(session: string, token: string): Refused | undefined {
    const held = this.boards.get(session);
    if (!held) return undefined;
    if (held.token !== token) return { status: 403, error: 'only the tab that presents this session may stop presenting it' };
    this.boards.delete(session);
    this.announce(session);
    return undefined;
  }

  subscribe(session: string, listener: Listener): () => void {
    let set = this.listeners.get(session);
    if (!set) this.listeners.set(session, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(session);
    };
  }

  private announce(session: string): PresenterBoardState {
    this.version += 1;
    const board = this.get(session);
    for (const listener of this.listeners.get(session) ?? []) listener(board);
    return board;
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const ID = /^[A-Za-z0-9_.:-]{1,200}$/;
const id = (v: unknown): v is string => typeof v === 'string' && ID.test(v);
const idOrNull = (v: unknown): v is string | null => v === null || id(v);
const seq = (v: unknown): v is number | null => v === null || (typeof v === 'number' && Number.isInteger(v) && v >= 0);
const TABS = ['handshake', 'frames', 'close', 'hops'] as const;
const VIEWS = ['connection', 'compare', 'lessons'] as const;
const MARK_TEXT = ['conn', 'hop', 'header', 'finding'] as const;

function lesson(v: unknown): PresenterState['lesson'] | string {
  if (v === null) return null;
  if (!isObj(v) || !id(v['id'])) return 'state.lesson must be null or { id, step, ran, connections }';
  const { step, ran, connections } = v;
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0 || typeof ran !== 'number' || !Number.isInteger(ran) || ran < 0) {
    return 'state.lesson.step and .ran must be whole numbers from 0';
  }
  if (!isObj(connections) || Object.keys(connections).length > 50 || !Object.entries(connections).every(([k, c]) => id(k) && id(c))) {
    return 'state.lesson.connections must map at most 50 aliases to connection ids';
  }
  return { id: v['id'], step, ran, connections: connections as Record<string, string> };
}

function mark(v: unknown): PresenterState['mark'] | string {
  if (v === null) return null;
  if (!isObj(v)) return 'state.mark must be null or an object';
  const out: NonNullable<PresenterState['mark']> = {};
  for (const key of MARK_TEXT) {
    const value = v[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.length > 200) return `state.mark.${key} must be a short string`;
    out[key] = value;
  }
  if (v['accept'] === true) out.accept = true;
  if (v['config'] === true) out.config = true;
  return out;
}

/** `POST …/presenter`'s body, read field by field from `unknown`. */
export function parsePresenterPost(v: unknown): PresenterPost | string {
  if (!isObj(v) || !isObj(v['state'])) return 'the body must be { "state": { … }, "takeOver"?: true }';
  const s = v['state'];
  const l = lesson(s['lesson'] ?? null);
  if (typeof l === 'string') return l;
  const m = mark(s['mark'] ?? null);
  if (typeof m === 'string') return m;
  const view = s['view'];
  const tab = s['tab'];
  if (!VIEWS.includes(view as PresenterState['view'])) return `state.view must be one of ${VIEWS.join(', ')}`;
  if (!TABS.includes(tab as PresenterState['tab'])) return `state.tab must be one of ${TABS.join(', ')}`;
  const { conn, hop, left, right, frame } = s;
  if (!idOrNull(conn) || !idOrNull(left) || !idOrNull(right) || !idOrNull(hop)) return 'state.conn, .hop, .left and .right must be ids or null';
  if (!seq(frame)) return 'state.frame must be a frame seq or null';
  const state: PresenterState = {
    lesson: l,
    view: view as PresenterState['view'],
    conn,
    tab: tab as PresenterState['tab'],
    frame,
    hop,
    left,
    right,
    mark: m,
  };
  return v['takeOver'] === true ? { state, takeOver: true } : { state };
}
