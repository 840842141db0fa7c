import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { Connection } from '../../../../server/src/transcript/types.ts';
import { infoQuery, transcriptQuery } from '../../api/queries.ts';
import { ErrorText } from '../../components/ErrorText.tsx';
import { useLabStore } from '../../store/index.ts';
import { diffHeaders, NEW_PER_CONNECTION } from '../hops/header-diff.ts';
import { HeaderDiffTable } from '../hops/HeaderDiffTable.tsx';
import { compareSide } from './compare-model.ts';
import { CompareRunForm } from './CompareRunForm.tsx';
import { ConnectionPickers } from './ConnectionPickers.tsx';
import { SideBySide } from './SideBySide.tsx';

const NO_CONNECTIONS: Connection[] = [];

function ComparePair({ left, right }: { left: Connection; right: Connection }) {
  const a = useMemo(() => compareSide(left), [left]);
  const b = useMemo(() => compareSide(right), [right]);
  const rows = useMemo(
    () => (a.echoRequest && b.echoRequest ? diffHeaders(a.echoRequest.headers, b.echoRequest.headers, { differByDesign: NEW_PER_CONNECTION }) : undefined),
    [a.echoRequest, b.echoRequest],
  );
  return (
    <>
      <SideBySide left={a} right={b} />
      {rows ? (
        <HeaderDiffTable
          rows={rows}
          label="Headers the echo server received"
          caption={<>Headers the echo server received: left ({a.route}) against right ({b.route})</>}
          beforeLabel="Left"
          afterLabel="Right"
          changeWords={{ added: 'only right', removed: 'only left' }}
        />
      ) : (
        <p className="hint">
          The echo server's headers can be compared once it has received both requests ({a.echoRequest ? 'right' : 'left'} has none yet).
        </p>
      )}
    </>
  );
}

/** Two connections side by side: a one-click run of direct against a preset, or any two picked from the session. */
export function CompareView({ session }: { session: string }) {
  const info = useQuery(infoQuery());
  const connections = useQuery({ ...transcriptQuery(session), select: (t) => t.connections }).data ?? NO_CONNECTIONS;
  const left = useLabStore((s) => s.compare.left);
  const right = useLabStore((s) => s.compare.right);
  const running = useLabStore((s) => s.compare.running);
  const error = useLabStore((s) => s.compare.error);
  const leftConnection = connections.find((c) => c.id === left);
  const rightConnection = connections.find((c) => c.id === right);
  return (
    <section className="compare" aria-labelledby="compare-heading" tabIndex={0}>
      <h2 id="compare-heading">Compare</h2>
      {info.data && <CompareRunForm info={info.data} session={session} />}
      {error && <ErrorText>{error}</ErrorText>}
      <ConnectionPickers connections={connections} />
      <p className="hint" aria-live="polite">
        {running ? 'Running the exchange on both connections…' : ''}
      </p>
      {leftConnection && rightConnection ? (
        <ComparePair left={leftConnection} right={rightConnection} />
      ) : (
        <p className="hint">Run a comparison, or choose a left and a right connection.</p>
      )}
    </section>
  );
}
