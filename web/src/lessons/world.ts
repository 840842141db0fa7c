// What a lesson is played against: the session's connections by alias, the lab's ports, the
// page's origin. The player builds one from the live transcript, the runner from the lab's store.
import type { PortInfo } from '../../../server/src/api/types.ts';
import { headerValue } from '../../../server/src/shared/headers.ts';
import type { Connection } from '../../../server/src/transcript/types.ts';
import { acceptByHand } from './accept-by-hand.ts';
import { FORWARD_PROXY_PRESETS, type ForwardProxyPresetName } from '../../../server/src/forward-proxy/presets.ts';
import type { Action, Alias, Duration, Lesson, Step } from './types.ts';

export interface LessonWorld {
  /** The connection an alias became, as recorded (with its findings), once the lab has it. */
  connection(alias: Alias): Connection | undefined;
  ports: PortInfo;
  /** The page's origin: `http://127.0.0.1:8080`. */
  origin: string;
  /** The idle-timeout preset's proxy_read_timeout, in ms. */
  idleTimeoutMs: number;
}

/** The default when the lab does not say: the preset's own default (DESIGN.md). */
export const DEFAULT_IDLE_TIMEOUT_MS = 2000;

/** proxy_read_timeout from the idle-timeout preset's config text (`1500ms`, `2s`, `1m`). */
export function idleTimeoutFrom(presets: readonly { name: string; nginxConfig: string }[]): number {
  const config = presets.find((p) => p.name === 'nginx-idle-timeout')?.nginxConfig ?? '';
  const match = /proxy_read_timeout\s+(\d+)(ms|s|m|h)?;/.exec(config);
  if (!match) return DEFAULT_IDLE_TIMEOUT_MS;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 's'] ?? 1000;
  return Number(match[1]) * unit;
}

export function durationMs(d: Duration, idleTimeoutMs: number): number {
  return typeof d === 'number' ? d : Math.round(d.idle * idleTimeoutMs);
}

/** The alias an action creates, if it creates one. */
export function aliasesCreatedBy(action: Action): Alias[] {
  if (action.do === 'connect' || action.do === 'terminal') return [action.as];
  if (action.do === 'compare-run') return [...action.as];
  return [];
}

/** The connection a step acts on and points at by default: the latest one opened up to and including it. */
export function currentAlias(lesson: Lesson, stepIndex: number): Alias | undefined {
  for (let i = Math.min(stepIndex, lesson.steps.length - 1); i >= 0; i--) {
    const actions = lesson.steps[i]!.do ?? [];
    for (let j = actions.length - 1; j >= 0; j--) {
      const created = aliasesCreatedBy(actions[j]!);
      if (created.length > 0) return created[created.length - 1];
    }
  }
  return undefined;
}

/** Aliases the steps up to and including `stepIndex` create. */
export function aliasesUpTo(lesson: Lesson, stepIndex: number): Alias[] {
  return lesson.steps.slice(0, stepIndex + 1).flatMap((s) => (s.do ?? []).flatMap(aliasesCreatedBy));
}

/** The Sec-WebSocket-Key the echo server received on a connection. */
export function echoKey(c: Connection | undefined): string | undefined {
  const request = c?.events.find((e) => e.kind === 'request' && e.observer === 'echo');
  return request?.kind === 'request' ? headerValue(request.headers, 'sec-websocket-key') : undefined;
}

/**
 * Resolves `{echo}`, `{proxy}`, `{nginx}`, `{ui}`, `{forwardProxy}` (ports), `{origin}`, `{idle}`,
 * `{url}` (the connection `alias`'s URL) and `{accept}` (Sec-WebSocket-Accept computed by hand
 * from the key the echo server received on it).
 */
export function fill(text: string, world: LessonWorld, alias?: Alias): string {
  return text.replace(/\{(echo|proxy|nginx|ui|forwardProxy(?::[a-z0-9-]+)?|echoTls|origin|idle|url|accept)\}/g, (whole, name: string) => {
    if (name.startsWith('forwardProxy:')) {
      const port = world.ports.forwardProxyPresets?.[name.slice('forwardProxy:'.length) as ForwardProxyPresetName];
      return port === undefined ? whole : String(port);
    }
    if (name === 'origin') return world.origin;
    if (name === 'idle') return String(world.idleTimeoutMs);
    if (name === 'url') return (alias && world.connection(alias)?.url) ?? whole;
    if (name === 'accept') {
      const key = echoKey(alias === undefined ? undefined : world.connection(alias));
      return key === undefined ? whole : acceptByHand(key).accept;
    }
    const port = world.ports[name as keyof typeof world.ports];
    return port === undefined ? whole : String(port);
  });
}

/** The placeholders a text uses, for the model's own checks. */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(/\{([^{}\s]+)\}/g)].map((m) => m[1]!);
}

export const PLACEHOLDERS = [
  'echo', 'proxy', 'nginx', 'ui', 'forwardProxy', 'echoTls', 'origin', 'idle', 'url', 'accept',
  ...FORWARD_PROXY_PRESETS.map((p) => `forwardProxy:${p.name}` as const),
] as const;

/** Every string a step holds, for the model's own checks. */
export function stepTexts(step: Step): string[] {
  const texts = [step.title, step.say];
  for (const e of step.expect ?? []) {
    for (const value of Object.values(e)) if (typeof value === 'string') texts.push(value);
  }
  return texts;
}
