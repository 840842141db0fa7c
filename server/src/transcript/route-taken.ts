import type { Connection, ConnectionMeta } from './types.ts';

// Which route a connection took, as its registrations arrive: the page's (what it chose, before
// it opens the socket) and each hop's (what it saw). A page cannot choose a proxy for its
// WebSockets, so the first hop to see the connection says which route the wire showed. Any
// store keeps these rules by calling these two functions.

/** A new connection from its first registration; `seen` says whether a hop (not the page) registered it. */
export function newConnection(id: string, meta: ConnectionMeta): { connection: Connection; seen: boolean } {
  const connection: Connection = { id, url: meta.url, route: meta.route, startedAt: new Date().toISOString(), events: [] };
  if (meta.chosen) connection.chosenRoute = meta.route;
  if (meta.preset !== undefined) connection.preset = meta.preset;
  if (meta.upstream !== undefined) connection.upstream = { ...meta.upstream };
  return { connection, seen: !meta.chosen };
}

/**
 * A later registration of `connection`, which a hop has `seen` already or not. Returns whether
 * a hop has seen it now. The page's only adds what it chose; the first hop's sets route and
 * preset; a hop behind may add the preset (the reverse proxy behind the forward proxy) and the
 * upstream it reached.
 */
export function registerAgain(connection: Connection, meta: ConnectionMeta, seen: boolean): boolean {
  if (meta.chosen) connection.chosenRoute ??= meta.route;
  else if (!seen) {
    connection.route = meta.route;
    if (meta.preset === undefined) delete connection.preset;
    else connection.preset = meta.preset;
  } else if (meta.preset !== undefined && connection.preset === undefined) connection.preset = meta.preset;
  if (meta.upstream !== undefined && connection.upstream === undefined) connection.upstream = { ...meta.upstream };
  return seen || !meta.chosen;
}

/** What a later registration may change on a connection: a store that keeps a copy elsewhere updates it when this changes. */
export const registration = (c: Connection) => `${c.route} ${c.chosenRoute} ${c.preset} ${c.upstream?.name}`;
