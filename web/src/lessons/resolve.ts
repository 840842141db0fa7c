// What a pointer means in the workbench, for a given transcript: which connection, view, tab,
// arrow, message, header or finding. Pure, so a follower with the same transcript derives the
// same view, and the runner can check the page shows it.
import { assertNever } from '../../../server/src/shared/assert.ts';
import type { Connection, LabEvent } from '../../../server/src/transcript/types.ts';
import { frameText, framesOf } from './evaluate.ts';
import type { Alias, ConnectionTab, Pointer } from './types.ts';
import type { LessonWorld } from './world.ts';

/** What the workbench shows for a pointer. */
export interface Target {
  view: 'connection' | 'compare';
  conn?: string;
  tab?: ConnectionTab;
  /** An arrow of the Hops tab: `<event kind>-<seq>`, as the sequence diagram names it. */
  hop?: string;
  /** A message of the Frames tab, by one of its frames' seq. */
  frame?: number;
  /** A header row to mark in the hop's header changes, lower-case. */
  header?: string;
  /** A finding to mark, by rule. */
  finding?: string;
  accept?: true;
  config?: true;
  left?: string;
  right?: string;
}

export interface Resolved {
  target: Target;
  /** False while what it points at has not been recorded yet: try again as the transcript grows. */
  complete: boolean;
}

/** The Hops tab's id of the arrow a head, note or frame run starts at (sequence.ts: `${kind}-${seq}`). */
const stepId = (e: LabEvent) => `${e.kind}-${e.seq}`;

function hopEvent(c: Connection, p: Extract<Pointer, { at: 'hop' | 'header' }>): LabEvent | undefined {
  const leg = (e: LabEvent) => e.from === p.from && e.to === p.to && e.observer === p.seenBy;
  if (p.at === 'hop' && p.event === 'frames') return framesOf(c, { from: p.from, to: p.to, seenBy: p.seenBy })[0];
  return c.events.find((e) => e.kind === p.event && leg(e));
}

function messageFrame(c: Connection, p: Extract<Pointer, { at: 'message' }>): number | undefined {
  const frames = framesOf(c).filter((f) => (p.direction === 'sent' ? f.from === 'browser' : f.to === 'browser'));
  const match = frames.find((f) => (p.opcode === undefined ? f.opcode !== 0 : f.opcode === p.opcode) && (p.text === undefined || frameText(f) === p.text));
  return match?.seq;
}

export function resolvePointer(p: Pointer, world: LessonWorld, alias: Alias | undefined): Resolved {
  if (p.at === 'compare') {
    const [left, right] = [world.connection(p.left), world.connection(p.right)];
    const target: Target = { view: 'compare' };
    if (left) target.left = left.id;
    if (right) target.right = right.id;
    return { target, complete: left !== undefined && right !== undefined };
  }
  const on = p.on ?? alias;
  const c = on === undefined ? undefined : world.connection(on);
  if (!c) return { target: { view: 'connection' }, complete: false };
  const base: Target = { view: 'connection', conn: c.id };
  switch (p.at) {
    case 'hop':
    case 'header': {
      const e = hopEvent(c, p);
      const target: Target = { ...base, tab: 'hops' };
      if (e) target.hop = stepId(e);
      if (p.at === 'header') target.header = p.name.toLowerCase();
      return { target, complete: e !== undefined };
    }
    case 'message': {
      const seq = messageFrame(c, p);
      return { target: seq === undefined ? { ...base, tab: 'frames' } : { ...base, tab: 'frames', frame: seq }, complete: seq !== undefined };
    }
    case 'finding': {
      const found = (c.findings ?? []).some((f) => f.rule === p.rule);
      return { target: { ...base, finding: p.rule }, complete: found };
    }
    case 'tab':
      return { target: { ...base, tab: p.tab }, complete: true };
    case 'accept': {
      const complete = c.events.some((e) => e.kind === 'response');
      return { target: { ...base, tab: 'handshake', accept: true }, complete };
    }
    case 'config':
      return { target: { ...base, config: true }, complete: true };
    default:
      return assertNever(p, 'pointer');
  }
}
