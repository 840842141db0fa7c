import { useQuery } from '@tanstack/react-query';
import { ownedKey } from '../../api/owner.ts';
import { transcriptQuery } from '../../api/queries.ts';
import { useLabStore } from '../../store/index.ts';

export interface Ownership {
  /** This tab may act on the connection: it opened it, or nobody's tab did (a terminal client). */
  mine: boolean;
  /** Why not, for the user. */
  why?: string;
}

export const NOT_OURS =
  'Another browser tab opened this connection (the presenter’s, when you follow a lesson): only that tab may send on it, close it ' +
  'or ask the echo server to act on it, and the lab refuses anyone else (403). Detach and open a connection of your own to try this.';

/**
 * Whether this tab may act on a connection. A connection a page registered (it carries the route
 * the page chose) belongs to the tab that registered it; the lab checks the same on every request.
 */
export function useOwnership(session: string, conn: string): Ownership {
  const mine = useLabStore((s) => s.sockets[conn] !== undefined || s.owned.includes(ownedKey(session, conn)));
  const fromPage = useQuery({ ...transcriptQuery(session), select: (t) => t.connections.find((c) => c.id === conn)?.chosenRoute !== undefined }).data;
  if (mine || !fromPage) return { mine: true };
  return { mine: false, why: NOT_OURS };
}
