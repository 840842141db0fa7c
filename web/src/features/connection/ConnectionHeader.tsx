import type { Connection } from '../../../../server/src/transcript/types.ts';
import { CopyButton } from '../copy/CopyButton.tsx';
import { useConnectionSummary } from './use-connection.ts';

const TONE_BADGE = { ok: 'badge-ok', done: 'badge-neutral', error: 'badge-error', busy: 'badge-info' } as const;

/** Which connection this is, its route and preset, how it went, and its URL. */
export function ConnectionHeader({ connection }: { connection: Connection }) {
  const summary = useConnectionSummary(connection);
  return (
    <div className="conn-header">
      <h2 id="connection-heading">
        Connection <span className="wire">{connection.id}</span>
      </h2>
      <span className="badge badge-neutral">
        {connection.route}
        {connection.preset ? ` · ${connection.preset}` : ''}
      </span>
      <span className={`badge ${TONE_BADGE[summary.tone]}`}>{summary.state}</span>
      <span className="conn-url">
        <span className="wire url" title={connection.url}>
          {connection.url}
        </span>
        <CopyButton what="the connection URL" text={connection.url} />
      </span>
    </div>
  );
}
