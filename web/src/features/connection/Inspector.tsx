import type { Connection } from '../../../../server/src/transcript/types.ts';
import { useLabStore } from '../../store/index.ts';
import { HopInspector } from '../hops/HopInspector.tsx';
import { MessageInspector } from '../messages/MessageInspector.tsx';
import { ConnectionInfo } from './ConnectionInfo.tsx';
import { useSelectedConnection } from './use-connection.ts';

function Selection({ connection }: { connection: Connection }) {
  const tab = useLabStore((s) => s.activeTab);
  if (tab === 'frames') return <MessageInspector connection={connection} />;
  if (tab === 'hops') return <HopInspector connection={connection} />;
  return null;
}

/** The right-hand pane: what is selected in the Frames or Hops tab, then the connection's own details. */
export function Inspector({ session }: { session: string }) {
  const connection = useSelectedConnection(session);
  if (!connection) return <p className="hint">Select a connection, then a message or a hop: its details show here.</p>;
  return (
    <div className="inspector-content">
      <Selection connection={connection} />
      <ConnectionInfo connection={connection} />
    </div>
  );
}
