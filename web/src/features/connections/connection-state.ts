import type { Connection, ConnectionMeta } from '../../../../server/src/transcript/types.ts';
import type { BrowserSocketState } from '../../store/index.ts';

export interface ConnectionSummary {
  id: string;
  meta: ConnectionMeta;
  /** connecting, open, closing, closed 1006, refused 403… */
  state: string;
  tone: 'busy' | 'ok' | 'done' | 'error';
}

function metaOf(connection: Connection | undefined): ConnectionMeta {
  const meta: ConnectionMeta = { url: connection?.url ?? '', route: connection?.route ?? 'direct' };
  if (connection?.preset !== undefined) meta.preset = connection.preset;
  return meta;
}

/** The state a connection is in, from this page's own socket if it has one, else from what the hops recorded. */
export function summarize(id: string, connection: Connection | undefined, local: BrowserSocketState | undefined): ConnectionSummary {
  const meta = local?.meta ?? metaOf(connection);
  if (local) {
    switch (local.phase) {
      case 'connecting':
      case 'closing':
        return { id, meta, state: local.phase, tone: 'busy' };
      case 'open':
        return { id, meta, state: 'open', tone: 'ok' };
      case 'closed':
        if (!local.close) return { id, meta, state: 'not opened', tone: 'error' };
        return { id, meta, state: `closed ${local.close.code}`, tone: local.close.wasClean ? 'done' : 'error' };
    }
  }
  let state = 'connecting';
  let tone: ConnectionSummary['tone'] = 'busy';
  let browserClosed = false;
  for (const e of connection?.events ?? []) {
    if (e.kind === 'response' && state === 'connecting') {
      [state, tone] = e.status === 101 ? ['open', 'ok'] : [`refused ${e.status}`, 'error'];
    } else if (e.kind === 'open') {
      [state, tone] = ['open', 'ok'];
    } else if (e.kind === 'close' && !browserClosed) {
      // The browser's CloseEvent, when there is one, is the final word on how it ended.
      browserClosed = e.observer === 'browser';
      [state, tone] = [`closed ${e.code}`, e.wasClean ? 'done' : 'error'];
    }
  }
  return { id, meta, state, tone };
}
