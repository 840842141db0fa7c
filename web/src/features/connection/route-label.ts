import type { Connection, LabEvent, Route } from '../../../../server/src/transcript/types.ts';

/** How a connection's route reads in the header and the list: what the wire showed, beside what the page chose. */
export interface RouteLabel {
  text: string;
  /** The route taken is not the one chosen, or no hop has seen the connection: worth a second look. */
  warn: boolean;
}

const ROUTE_WORDS: Record<Route, string> = {
  direct: 'direct',
  'reverse-proxy': 'reverse proxy',
  nginx: 'nginx',
  'forward-proxy': 'forward proxy',
};

/**
 * Whether a hop recorded the connection, and which of the lab's proxies stood behind the
 * forward proxy. Read from the handshake only (it ends at the first frame): a live flush of
 * 100,000 frames must not rescan them.
 */
function observed(events: readonly LabEvent[]): { seen: boolean; behind?: 'reverse-proxy' | 'nginx' } {
  let seen = false;
  for (const e of events) {
    if (e.kind === 'frame') break;
    // What the page reports names the route it assumed, not one a hop saw.
    if (e.observer === 'browser') continue;
    seen = true;
    for (const party of [e.observer, e.from, e.to]) if (party === 'reverse-proxy' || party === 'nginx') return { seen, behind: party };
  }
  return { seen };
}

export function routeLabel(connection: Pick<Connection, 'route' | 'chosenRoute' | 'preset' | 'events'>): RouteLabel {
  const { route, chosenRoute: chosen, preset } = connection;
  const { seen, behind } = observed(connection.events);
  const path = route === 'forward-proxy' && behind ? `${route} → ${behind}` : route;
  const base = preset ? `${path} · ${preset}` : path;
  if (!seen) return chosen === undefined ? { text: base, warn: false } : { text: `${base} (chosen; no hop has seen it)`, warn: true };
  if (chosen === undefined || chosen === route) return { text: base, warn: false };
  if (chosen === 'forward-proxy') return { text: `${base} (forward proxy was chosen, but no CONNECT arrived)`, warn: true };
  if (route === 'forward-proxy') return { text: `${base} (${ROUTE_WORDS[chosen]} was chosen, but the browser sent a CONNECT)`, warn: true };
  return { text: `${base} (${ROUTE_WORDS[chosen]} was chosen)`, warn: true };
}
