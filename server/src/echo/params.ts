import { labParams } from '../wire/http-head.ts';

/** Per-connection behaviour of the echo server, read from the WebSocket URL (DESIGN.md). */
export interface EchoParams {
  session: string | undefined;
  conn: string | undefined;
  /** Subprotocols the server accepts; it picks the first the client offers. */
  protocols: string[];
  deflate: boolean;
  origin: OriginPolicy;
  heartbeatMs: number | undefined;
  strict: boolean;
  fault: string | undefined;
}

export type OriginPolicy = { kind: 'any' } | { kind: 'same-host' } | { kind: 'list'; origins: string[] };

/** The shortest heartbeat accepted: a faster one would only flood the transcript. */
export const MIN_HEARTBEAT_MS = 100;

export function parseEchoParams(target: string): EchoParams {
  const q = labParams(target);
  const list = (name: string) =>
    (q.get(name) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const heartbeat = Number(q.get('heartbeat'));
  return {
    session: q.get('lab') ?? undefined,
    conn: q.get('conn') ?? undefined,
    protocols: list('protocols'),
    deflate: q.get('deflate') === 'on',
    origin: parseOrigin(q.get('origin')),
    heartbeatMs: Number.isFinite(heartbeat) && heartbeat > 0 ? Math.max(MIN_HEARTBEAT_MS, heartbeat) : undefined,
    strict: q.get('strict') === '1',
    fault: q.get('fault') ?? undefined,
  };
}

function parseOrigin(value: string | null): OriginPolicy {
  if (!value || value === 'any') return { kind: 'any' };
  if (value === 'same-host') return { kind: 'same-host' };
  return { kind: 'list', origins: value.split(',').map((s) => s.trim().toLowerCase()) };
}
