import { useQuery } from '@tanstack/react-query';
import { transcriptQuery } from '../../api/queries.ts';
import { formatCount } from '../../components/format.ts';

/** Says so when the session's bounded buffers had to leave events out. */
export function DroppedNotice({ session }: { session: string }) {
  const dropped = useQuery({ ...transcriptQuery(session), select: (t) => t.dropped }).data;
  if (!dropped || (dropped.events === 0 && dropped.payloadBytes === 0)) return null;
  const text =
    dropped.events > 0
      ? `${formatCount(dropped.events)} events and ${formatCount(dropped.payloadBytes)} payload bytes were not kept: the session reached its limit.`
      : `${formatCount(dropped.payloadBytes)} payload bytes were not kept: the session reached its payload limit, so later frames keep their headers only.`;
  return (
    <p className="notice" role="note">
      {text}
    </p>
  );
}
