import type { Finding } from '../transcript/types.ts';
import type { DiagnoseContext } from './context.ts';

/** What a rule is for: a `cause` explains a failure; a `note` teaches; a `fallback` speaks only when no cause was found. */
export type RuleKind = 'cause' | 'note' | 'fallback';

/** One check over a connection's recorded events. It must stay silent unless the events show what it says. */
export interface Rule {
  id: string;
  kind: RuleKind;
  applies(ctx: DiagnoseContext): Finding | undefined;
}
