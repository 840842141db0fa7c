// The rules registry, in the order findings are listed: the handshake first (what the
// request lost on the way, what the server refused, what its 101 got wrong), then frames,
// then how the connection ended, then notes about proxies and the route taken; fallbacks last.
import type { Rule } from '../rule.ts';
import { CLOSE_FALLBACK_RULES, CLOSE_RULES } from './close-codes.ts';
import { FRAME_FAULT_RULES } from './frame-faults.ts';
import { HOP_REFUSAL_RULES } from './hop-refusals.ts';
import { CORPORATE_PROXY_RULES } from './corporate-proxy.ts';
import { TLS_RULES } from './tls.ts';
import { RESERVED_RULES } from './reserved.ts';
import { HANDSHAKE_FAULT_RULES } from './handshake-faults.ts';
import { IDLE_RULES } from './idle.ts';
import { PROXY_RULES } from './proxy.ts';
import { socketError } from './socket-errors.ts';
import { handshakeRefused, REFUSAL_RULES } from './refusals.ts';
import { UPGRADE_REFUSAL_RULES } from './refusals-upgrade.ts';
import { ROUTE_RULES } from './route.ts';

export const RULES: readonly Rule[] = [
  ...UPGRADE_REFUSAL_RULES,
  ...REFUSAL_RULES,
  ...HOP_REFUSAL_RULES,
  ...CORPORATE_PROXY_RULES,
  ...TLS_RULES,
  ...HANDSHAKE_FAULT_RULES,
  ...FRAME_FAULT_RULES,
  ...RESERVED_RULES,
  ...IDLE_RULES,
  ...CLOSE_RULES,
  socketError,
  ...PROXY_RULES,
  ...ROUTE_RULES,
  handshakeRefused,
  ...CLOSE_FALLBACK_RULES,
];
