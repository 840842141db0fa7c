import type { Connection, Finding } from '../transcript/types.ts';

/** Turns a connection's events into plain-language findings. */
export function diagnose(_connection: Connection): Finding[] {
  return [];
}
