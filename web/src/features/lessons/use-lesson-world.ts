import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { LabInfo } from '../../../../server/src/api/types.ts';
import type { Transcript } from '../../../../server/src/transcript/types.ts';
import { infoQuery, transcriptQuery } from '../../api/queries.ts';
import type { Alias } from '../../lessons/types.ts';
import { idleTimeoutFrom, type LessonWorld } from '../../lessons/world.ts';

/** A lesson's world in this page: aliases resolved against the session's transcript as it is now. */
export function pageWorld(info: LabInfo, transcript: Transcript | undefined, connections: Record<Alias, string>): LessonWorld {
  const byId = new Map((transcript?.connections ?? []).map((c) => [c.id, c]));
  return {
    connection: (alias) => {
      const id = connections[alias];
      return id === undefined ? undefined : byId.get(id);
    },
    ports: info.ports,
    origin: window.location.origin,
    idleTimeoutMs: idleTimeoutFrom(info.presets),
  };
}

/** The world, rebuilt when the transcript or the lesson's connections change. */
export function useLessonWorld(session: string, connections: Record<Alias, string> | undefined): LessonWorld | undefined {
  const info = useQuery(infoQuery()).data;
  const transcript = useQuery(transcriptQuery(session)).data;
  return useMemo(() => (info && connections ? pageWorld(info, transcript, connections) : undefined), [info, transcript, connections]);
}
