import { useQuery } from '@tanstack/react-query';
import type { Connection, Route } from '../../../../server/src/transcript/types.ts';
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
export function usePreset(name: string | undefined, route?: Route): PresetInfo | undefined {
  const info = useQuery(infoQuery()).data;
  if (name === undefined) return undefined;
  // A forward-proxy preset is a corporate proxy's behaviour: its config is Squid's, not an nginx location.
  if (route === 'forward-proxy') {
    const preset = info?.forwardProxyPresets.find((p) => p.name === name);
    return preset && { name: preset.name, description: preset.description, nginxConfig: preset.config };
  }
  return info?.presets.find((p) => p.name === name);
}
