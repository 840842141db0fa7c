// Presenter and follow mode, and who may act on a connection: what the API is asked and answers
// (re-exported by ./types.ts, which lists the routes).

/** The request header carrying a browser tab's owner token (random, kept in the tab's sessionStorage). */
export const OWNER_HEADER = 'x-lab-owner';

/** What a follower's view tracks: the presenter's lesson, step and selection (a page URL's view, as data). */
export interface PresenterState {
  lesson: { id: string; step: number; ran: number; connections: Record<string, string> } | null;
  view: 'connection' | 'compare' | 'lessons';
  conn: string | null;
  tab: 'handshake' | 'frames' | 'close' | 'hops';
  frame: number | null;
  hop: string | null;
  left: string | null;
  right: string | null;
  /** What the lesson step outlines (a hop, header, finding, the accept computation, the config). */
  mark: { conn?: string; hop?: string; header?: string; finding?: string; accept?: true; config?: true } | null;
}

/** Body of `POST …/presenter`; `takeOver` replaces another tab presenting the session. */
export interface PresenterPost {
  state: PresenterState;
  takeOver?: boolean;
}

/** The session's presenter as followers see it: no token, just the view and a counter that grows. */
export interface PresenterBoardState {
  state: PresenterState | null;
  /** Grows with every update: a follower ignores anything older than what it applied. */
  version: number;
}
