import { useQuery } from '@tanstack/react-query';
import { transcriptQuery } from '../../api/queries.ts';
import { formatCount } from '../../components/format.ts';

/** Says so when the session's bounded buffers had to leave events out. */
export function DroppedNotice({ session }: { session: string }) {
  const dropped = useQuery({ ...transcriptQuery(session), select: (t) => t.dropped }).data;
  if (!dropped || dropped.events === 0) return null;
  return (
    <p className="notice" role="note">
      {formatCount(dropped.events)} events ({formatCount(dropped.payloadBytes)} bytes) were not kept: the session reached its limit.
    </p>
  );
}
