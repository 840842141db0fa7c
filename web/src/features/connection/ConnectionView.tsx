import type { Connection } from '../../../../server/src/transcript/types.ts';
import { assertNever } from '../../../../server/src/shared/assert.ts';
import { Tabs, type TabSpec } from '../../components/Tabs.tsx';
import { useLabStore, type ConnectionTab } from '../../store/index.ts';
import { CloseTab } from '../close/CloseTab.tsx';
import { Composer } from '../composer/Composer.tsx';
import { FramesTab } from '../frames/FramesTab.tsx';
import { HandshakeTab } from '../handshake/HandshakeTab.tsx';
import { HopsTab } from '../hops/HopsTab.tsx';
import { Findings } from './Findings.tsx';
import { useSelectedConnection } from './use-connection.ts';

const TABS: readonly TabSpec<ConnectionTab>[] = [
  { key: 'handshake', label: 'Handshake' },
  { key: 'frames', label: 'Frames' },
  { key: 'close', label: 'Close' },
  { key: 'hops', label: 'Hops' },
];

function TabContent({ tab, connection }: { tab: ConnectionTab; connection: Connection }) {
  switch (tab) {
    case 'handshake':
      return <HandshakeTab connection={connection} />;
    case 'frames':
      return <FramesTab connection={connection} />;
    case 'close':
      return <CloseTab connection={connection} />;
    case 'hops':
      return <HopsTab connection={connection} />;
    default:
      return assertNever(tab, 'tab');
  }
}

/** One connection: findings first, then its handshake, frames, close and hops, and the composer. */
export function ConnectionView({ session }: { session: string }) {
  const connection = useSelectedConnection(session);
  const activeTab = useLabStore((s) => s.activeTab);
  const setActiveTab = useLabStore((s) => s.setActiveTab);
  if (!connection) {
    return (
      <section className="connection-view empty" aria-label="Connection">
        <p className="hint">Select a connection to see its handshake, frames and close.</p>
      </section>
    );
  }
  return (
    <section className="connection-view" aria-labelledby="connection-heading">
      <h2 id="connection-heading">
        Connection <span className="wire">{connection.id}</span>
      </h2>
      <p className="connection-meta">
        <span className="badge badge-neutral">
          {connection.route}
          {connection.preset ? ` · ${connection.preset}` : ''}
        </span>{' '}
        <span className="wire url">{connection.url}</span>
      </p>
      {connection.upstream && <p className="hint">The server end is your server {connection.upstream.name} ({connection.upstream.url}); the tabs call it the echo server.</p>}
      <Findings findings={connection.findings} />
      <Tabs label="Connection details" idPrefix="connection" tabs={TABS} active={activeTab} onChange={setActiveTab}>
        <TabContent tab={activeTab} connection={connection} />
      </Tabs>
      <Composer session={session} connection={connection} />
    </section>
  );
}
