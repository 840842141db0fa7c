import { useQuery } from '@tanstack/react-query';
import type { Connection } from '../../../../server/src/transcript/types.ts';
import { transcriptQuery } from '../../api/queries.ts';
import { useLabStore } from '../../store/index.ts';

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
