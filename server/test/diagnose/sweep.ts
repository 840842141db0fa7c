// The sweep behind "no false finding on a valid connection": a connection that closed cleanly
// on every socket that recorded its end may carry notes (what a proxy did, which route it
// took), never a cause, nor a fallback (a cause of last resort). The diagnose tests run it over
// every recorded fixture, and the e2e fixture over every connection a lesson's page recorded.
import { diagnose, RULES, type LabAddress } from '../../src/diagnose/index.ts';
import type { Connection } from '../../src/transcript/types.ts';

/** Rules whose finding says something went wrong: every kind but notes. */
const CAUSES = new Set(RULES.filter((r) => r.kind !== 'note').map((r) => r.id));

/** A close code that says all went as meant: normal, going away, no code, or the application's own (RFC 6455 §7.4). */
const normalClose = (code: number) => code === 1000 || code === 1001 || code === 1005 || (code >= 3000 && code <= 4999);

/**
 * Closed cleanly: upgraded (a 101, and the browser's open event when a browser reported), and
 * every close any hop or the browser recorded says wasClean with a normal code, with at least
 * one recorded. A clean close with 1009 (message too big) or 1002 is an ending, not a valid run.
 */
export function closedCleanly(connection: Connection): boolean {
  const closes = connection.events.filter((e) => e.kind === 'close');
  const upgraded = connection.events.some((e) => e.kind === 'response' && e.status === 101);
  const browserOpened = !connection.events.some((e) => e.observer === 'browser') || connection.events.some((e) => e.kind === 'open');
  return upgraded && browserOpened && closes.length > 0 && closes.every((e) => e.kind === 'close' && e.wasClean && normalClose(e.code));
}

/** Every cause (or fallback) finding on a connection that closed cleanly, as `conn: rule: summary` lines (none when all is well). */
export function causesOnCleanConnections(connections: readonly Connection[], lab?: LabAddress): string[] {
  return connections
    .filter(closedCleanly)
    .flatMap((c) => diagnose(c, RULES, lab).filter((f) => CAUSES.has(f.rule)).map((f) => `${c.id}: ${f.rule}: ${f.summary}`));
}
