import { useQuery } from '@tanstack/react-query';
import type { Connection } from '../../../../server/src/transcript/types.ts';
import type { PresetInfo } from '../../../../server/src/api/types.ts';
import { infoQuery, transcriptQuery } from '../../api/queries.ts';
import { useLabStore } from '../../store/index.ts';
import { summarize, type ConnectionSummary } from '../connections/connection-state.ts';

const NO_EVENTS: Connection['events'] = [];

/** The selected connection as the transcript has it; a placeholder while only this page knows of it. */
export function useSelectedConnection(session: string): Connection | undefined {
  const id = useLabStore((s) => s.selectedConnection);
  const local = useLabStore((s) => (id ? s.sockets[id] : undefined));
  const connection = useQuery({
    ...transcriptQuery(session),
    select: (t) => t.connections.find((c) => c.id === id),
  }).data;
  if (connection || !id || !local) return connection;
  const placeholder: Connection = { id, url: local.meta.url, route: local.meta.route, startedAt: '', events: NO_EVENTS };
  if (local.meta.preset !== undefined) placeholder.preset = local.meta.preset;
  return placeholder;
}

/** Where the connection stands: this page's socket if it opened it, else what the hops recorded. */
export function useConnectionSummary(connection: Connection, fromFile = false): ConnectionSummary {
  const local = useLabStore((s) => s.sockets[connection.id]);
  return summarize(connection.id, connection, local, fromFile);
}

/** The preset a connection actually went through, as `/api/info` describes it (not the connect bar's choice). */
export function usePreset(name: string | undefined): PresetInfo | undefined {
  const info = useQuery(infoQuery()).data;
  return name === undefined ? undefined : info?.presets.find((p) => p.name === name);
}
