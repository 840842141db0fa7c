// The HTTP API around the transcript (server/src/api, web/src/api): what is asked and answered.
// The transcript itself, the one contract, is in ../transcript/types.ts.

import type { ConnectionMeta } from '../transcript/types.ts';

/** `event: dropped` on the live stream: the stream could not keep up and skipped events; refetch the snapshot. */
export interface LiveDropped {
  events: number;
}

/**
 * `event: evicted` on the live stream, its last message: the lab forgot the session to stay
 * within its capture budget or session limit. Its transcript is gone; start a new session.
 */
export interface LiveEvicted {
  session: string;
  /** Why, in words for the user. */
  reason: string;
}

/** Body of `POST /api/sessions/:session/connections/:conn/events`: what only the browser can see. */
export type BrowserReport =
  | { kind: 'open'; meta: ConnectionMeta; protocol: string; extensions: string }
  | { kind: 'close'; meta: ConnectionMeta; code: number; reason: string; wasClean: boolean }
  | { kind: 'error'; meta: ConnectionMeta; code: string; message: string }
  | { kind: 'start'; meta: ConnectionMeta };


// ---- The HTTP API around the transcript (server/src/api, web/src/api) ----
//
// POST /api/sessions                                    → 201 SessionCreated
// GET  /api/sessions/:session/transcript                → Transcript (404 for an unknown id)
// GET  /api/sessions/:session/live                      → text/event-stream: `event: lab` (LiveEvent),
//                                                         `event: dropped` (LiveDropped), `event: evicted` (LiveEvicted)
// POST /api/sessions/:session/connections/:conn/events  ← BrowserReport → 204
// POST /api/sessions/:session/connections/:conn/actions ← EchoAction → 202, 404 when no live echo connection
// GET  /api/info                                        → LabInfo
// Errors are JSON: ApiError, with a message that says what to do. Every request must name a Host the
// lab serves, and a POST must come from the lab's own origin with Content-Type: application/json (403, 415).

export interface SessionCreated {
  id: string;
}

export interface ApiError {
  error: string;
}

/** Actions on a live echo-server connection. */
export type EchoAction =
  | { action: 'close'; code?: number; reason?: string }
  | { action: 'ping'; payload?: string }
  | { action: 'fragment'; count: number }
  | { action: 'terminate' };

export interface PortInfo {
  ui: number;
  echo: number;
  proxy?: number;
  forwardProxy?: number;
  nginx?: number;
}

export interface FaultInfo {
  name: string;
  description: string;
}

export interface PresetInfo {
  name: string;
  description: string;
  /** The nginx `location` block this preset behaves like. */
  nginxConfig: string;
}

export interface NginxInfo {
  available: boolean;
  version?: string;
  /** Why real nginx is not running, in words a user can act on. */
  reason?: string;
}

export interface LabInfo {
  name: 'WebSocket Upgrade Lab';
  host: string;
  ports: PortInfo;
  faults: FaultInfo[];
  presets: PresetInfo[];
  nginx: NginxInfo;
  limits: {
    maxEvents: number;
    maxPayloadBytes: number;
    maxCaptureBytes: number;
    /** Bytes all sessions' captures may hold together (`--capture-budget`). */
    captureBudget: number;
    /** The largest message the echo server and proxies accept (`--max-payload`). */
    maxPayload: number;
    /** client_header_timeout of every listener (`--head-timeout`), in ms. */
    headTimeoutMs: number;
  };
}
