import { acceptsWebSocket } from '../../../../server/src/shared/accepted.ts';
import type { Connection, ConnectionMeta, LabEvent } from '../../../../server/src/transcript/types.ts';
import type { BrowserSocketState } from '../../store/index.ts';
import { routeLabel, type RouteLabel } from '../connection/route-label.ts';

export interface ConnectionSummary {
  id: string;
  meta: ConnectionMeta;
  /** The route the wire showed (and the chosen one when it differs); this page's choice until a hop has seen it. */
  route: RouteLabel;
  /** connecting, open, closing, closed 1006, refused 403… */
  state: string;
  tone: 'busy' | 'ok' | 'done' | 'error';
  /** Over: nothing can be sent on it and the echo server can no longer act on it. */
  ended: boolean;
}

function metaOf(connection: Connection | undefined): ConnectionMeta {
  const meta: ConnectionMeta = { url: connection?.url ?? '', route: connection?.route ?? 'direct' };
  if (connection?.preset !== undefined) meta.preset = connection.preset;
  return meta;
}

/** What the hops recorded so far, read once per event. */
interface Recorded {
  state: string;
  tone: ConnectionSummary['tone'];
  browserClosed: boolean;
  ended: boolean;
}

function step(r: Recorded, e: LabEvent): void {
  if (e.kind === 'response' && r.state === 'connecting') {
    [r.state, r.tone] = acceptsWebSocket(e) ? ['open', 'ok'] : [`refused ${e.status}`, 'error'];
    if (!acceptsWebSocket(e) && e.observer === 'echo') r.ended = true;
  } else if (e.kind === 'open') {
    [r.state, r.tone] = ['open', 'ok'];
  } else if (e.kind === 'close') {
    // Any socket of the connection closing ends it: the echo server's, or the browser's.
    r.ended = true;
    if (r.browserClosed) return;
    // The browser's CloseEvent, when there is one, is the final word on how it ended.
    r.browserClosed = e.observer === 'browser';
    [r.state, r.tone] = [`closed ${e.code}`, e.wasClean ? 'done' : 'error'];
  }
}

interface Cached {
  events: readonly LabEvent[];
  processed: number;
  recorded: Recorded;
}

/** Per connection, what was read so far: a live flush reads only the new events of the one connection that grew. */
const cache = new Map<string, Cached>();
const MAX_CACHED = 4096;

function recordedOf(connection: Connection): Recorded {
  const { events } = connection;
  let cached = cache.get(connection.id);
  const continues = cached && events.length >= cached.processed && (cached.processed === 0 || events[cached.processed - 1] === cached.events[cached.processed - 1]);
  if (!cached || !continues) {
    if (cache.size >= MAX_CACHED) cache.clear();
    cached = { events, processed: 0, recorded: { state: 'connecting', tone: 'busy', browserClosed: false, ended: false } };
    cache.set(connection.id, cached);
  }
  for (let i = cached.processed; i < events.length; i++) step(cached.recorded, events[i]!);
  cached.processed = events.length;
  cached.events = events;
  return cached.recorded;
}

/** The state a connection is in, from this page's own socket if it has one, else from what the hops recorded. */
/** `fromFile`: the session was opened from a file, so a connection still open in it was open when the file was saved. */
export function summarize(id: string, connection: Connection | undefined, local: BrowserSocketState | undefined, fromFile = false): ConnectionSummary {
  // What the hops recorded says which route was taken; the page's own choice stands in until then.
  const meta = connection || !local ? metaOf(connection) : local.meta;
  const route = connection ? routeLabel(connection) : routeLabel({ ...local?.meta, route: meta.route, chosenRoute: meta.route, events: [] });
  const base = { id, meta, route };
  if (local) {
    switch (local.phase) {
      case 'connecting':
      case 'closing':
        return { ...base, state: local.phase, tone: 'busy', ended: false };
      case 'open':
        return { ...base, state: 'open', tone: 'ok', ended: false };
      case 'closed':
        if (!local.close) return { ...base, state: 'not opened', tone: 'error', ended: true };
        return { ...base, state: `closed ${local.close.code}`, tone: local.close.wasClean ? 'done' : 'error', ended: true };
    }
  }
  const { state, tone, ended } = connection ? recordedOf(connection) : { state: 'connecting', tone: 'busy' as const, ended: false };
  // Live when the lab stopped: nothing was recorded after, and nothing reaches it now.
  if (connection?.restoredAt && !ended) return { ...base, state: 'ended by a lab restart', tone: 'error', ended: true };
  if (fromFile && !ended) return { ...base, state: 'open when saved', tone: 'done', ended: true };
  return { ...base, state, tone, ended };
}
