import type { Connection } from '../../../../server/src/transcript/types.ts';
import { assertNever } from '../../../../server/src/shared/assert.ts';
import { Tabs, type TabSpec } from '../../components/Tabs.tsx';
import { useLabStore, type ConnectionTab } from '../../store/index.ts';
import { CloseTab } from '../close/CloseTab.tsx';
import { useReadOnlyReason } from '../import/ReadOnlyNotice.tsx';
import { Composer } from '../composer/Composer.tsx';
import { HandshakeTab } from '../handshake/HandshakeTab.tsx';
import { HopsTab } from '../hops/HopsTab.tsx';
import { FramesTab } from '../messages/FramesTab.tsx';
import { ConnectionHeader } from './ConnectionHeader.tsx';
import { Findings } from './Findings.tsx';
import { routeLabel } from './route-label.ts';
import { StartHere } from './StartHere.tsx';
import { useConnectionSummary, useSelectedConnection } from './use-connection.ts';

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

/** One connection: what it is, findings first, then its handshake, frames, close and hops; the composer docked below. */
export function ConnectionView({ session }: { session: string }) {
  const connection = useSelectedConnection(session);
  const activeTab = useLabStore((s) => s.activeTab);
  const setActiveTab = useLabStore((s) => s.setActiveTab);
  if (!connection) return <StartHere />;
  return <ConnectionDetail session={session} connection={connection} activeTab={activeTab} setActiveTab={setActiveTab} />;
}

function ConnectionDetail({ session, connection, activeTab, setActiveTab }: { session: string; connection: Connection; activeTab: ConnectionTab; setActiveTab: (tab: ConnectionTab) => void }) {
  const { state, tone, ended } = useConnectionSummary(connection);
  const route = routeLabel(connection);
  const lesson = useLabStore((s) => s.lessonProgress !== null);
  const readOnly = useReadOnlyReason(session, connection.restoredAt);
  // Header, findings and composer take plain values, so a live flush draws only what changed.
  return (
    <section className="connection-view" aria-labelledby="connection-heading">
      <ConnectionHeader id={connection.id} url={connection.url} route={route.text} routeWarn={route.warn} state={state} tone={tone} />
      {connection.upstream && <p className="hint">The server end is your server {connection.upstream.name} ({connection.upstream.url}); the tabs call it the echo server.</p>}
      <Findings findings={connection.findings} preset={connection.preset} state={state} tone={tone} />
      <Tabs label="Connection details" idPrefix="connection" tabs={TABS} active={activeTab} onChange={setActiveTab}>
        <TabContent tab={activeTab} connection={connection} />
      </Tabs>
      {readOnly ? (
        <p className="hint composer-read-only" role="note">
          {readOnly} Nothing can be sent on it or asked of the echo server.
        </p>
      ) : (
        <Composer session={session} conn={connection.id} ended={ended} folded={lesson} />
      )}
    </section>
  );
}
