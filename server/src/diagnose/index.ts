import type { Connection, Finding } from '../transcript/types.ts';
import { buildContext, type LabAddress } from './context.ts';
import type { Rule } from './rule.ts';
import { RULES } from './rules/index.ts';

export type { Rule, RuleKind } from './rule.ts';
export { buildContext, type DiagnoseContext, type LabAddress } from './context.ts';
export { RULES } from './rules/index.ts';

/**
 * Turns a connection's events into plain-language findings, each backed by what a hop
 * recorded: causes and notes first, then fallbacks, which speak only when no cause did.
 * `lab` names the lab's ports for fixes that need them (the browser's proxy flags).
 */
export function diagnose(connection: Connection, rules: readonly Rule[] = RULES, lab?: LabAddress): Finding[] {
  const causes: Finding[] = [];
  const findings: Finding[] = [];
  const ctx = buildContext(connection, causes, lab);
  const run = (rule: Rule) => {
    let finding: Finding | undefined;
    try {
      finding = rule.applies(ctx);
    } catch {
      // A rule that trips over an odd transcript must not cost the user the transcript itself.
      return;
    }
    if (!finding) return;
    findings.push(finding);
    if (rule.kind === 'cause') causes.push(finding);
  };
  for (const rule of rules) if (rule.kind !== 'fallback') run(rule);
  for (const rule of rules) if (rule.kind === 'fallback') run(rule);
  return findings;
}
