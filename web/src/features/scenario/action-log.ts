import type { EchoAction } from '../../../../server/src/api/types.ts';
import { postAction } from '../../api/client.ts';
import type { RecordedAction } from '../../scenario/types.ts';

// What this tab did, in order, for "Save as scenario": every connect (with its URL), send, echo
// server action and close, made through the workbench's own calls (the composer, the Connect bar,
// a lesson's steps, the Compare run). Bounded: beyond MAX_ACTIONS the oldest go, and the count says so.

export const MAX_ACTIONS = 5000;

const log: RecordedAction[] = [];
let dropped = 0;

export function recordAction(action: RecordedAction): void {
  log.push(action);
  if (log.length > MAX_ACTIONS) {
    log.shift();
    dropped += 1;
  }
}

/** This tab's actions in `session`, and how many older actions of any session were left out. */
export function actionsIn(session: string): { actions: RecordedAction[]; dropped: number } {
  return { actions: log.filter((a) => a.session === session), dropped };
}

/** `POST …/actions`, recorded once the lab took it. */
export async function postRecordedAction(session: string, conn: string, action: EchoAction): Promise<void> {
  await postAction(session, conn, action);
  recordAction({ do: 'server', session, conn, action });
}
