// Recorded transcripts (server/test/diagnose/record.ts writes them) and the context rules read.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildContext, type DiagnoseContext } from '../../src/diagnose/context.ts';
import { RULES } from '../../src/diagnose/rules/index.ts';
import type { Rule } from '../../src/diagnose/rule.ts';
import type { Connection, Finding } from '../../src/transcript/types.ts';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

export interface Fixture {
  scenario: string;
  description: string;
  connection: Connection;
}

export function fixtureNames(): string[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

export function recorded(name: string): Connection {
  const fixture = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Fixture;
  return fixture.connection;
}

/** The context a rule sees for a recorded transcript, with the causes the primary rules found (for fallbacks). */
export function contextOf(name: string): DiagnoseContext {
  const ctx = buildContext(recorded(name));
  for (const rule of RULES) {
    const finding = rule.kind === 'cause' ? rule.applies(ctx) : undefined;
    if (finding) ctx.causes.push(finding);
  }
  return ctx;
}

export function apply(rule: Rule, name: string): Finding | undefined {
  return rule.applies(rule.kind === 'fallback' ? contextOf(name) : buildContext(recorded(name)));
}

/** A finding is one plain sentence, a short why, and a reference: the shape every rule must keep. */
export function expectWellFormed(finding: Finding | undefined): Finding {
  if (!finding) throw new Error('expected a finding, got none');
  if (!/^([A-Z]|nginx ).*\.$/s.test(finding.summary)) throw new Error(`summary is not one sentence: ${finding.summary}`);
  if (finding.why.length < 40) throw new Error(`why is too short: ${finding.why}`);
  if (!/RFC|nginx|WHATWG|Node/.test(finding.reference)) throw new Error(`reference names no source: ${finding.reference}`);
  if (/undefined|\[object|NaN/.test(JSON.stringify(finding))) throw new Error(`finding has a hole: ${JSON.stringify(finding)}`);
  return finding;
}
