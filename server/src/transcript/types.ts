// The transcript: the one contract between every hop, the API, the UI and exported files.
// DESIGN.md defines it; this module is its only definition. Extend it, never fork it.

export type Party = 'browser' | 'reverse-proxy' | 'nginx' | 'forward-proxy' | 'echo';
export type Route = 'direct' | 'reverse-proxy' | 'nginx' | 'forward-proxy';
/** Headers as on the wire: order, case and duplicates kept. */
export type HeaderList = [name: string, value: string][];

export interface Transcript {
  format: 'ws-upgrade-lab/transcript';
  version: 1;
  session: string;
  connections: Connection[];
  /** What the session's bounded buffers had to leave out (extension to DESIGN.md). */
  dropped?: Dropped;
}

export interface Dropped {
  /** Events not kept because the session reached its event or payload limit. */
  events: number;
  /** Payload bytes those events carried. */
  payloadBytes: number;
}

export interface Connection {
  id: string;
  url: string;
  route: Route;
  preset?: string;
  startedAt: string;
  events: LabEvent[];
  findings?: Finding[];
}

export interface Finding {
  rule: string;
  at: Party;
  summary: string;
  why: string;
  reference: string;
  fix?: string;
}

/** Every event says who observed it and which way the bytes travelled: from → to. */
export interface Seen {
  seq: number;
  time: string;
  observer: Party;
  from: Party;
  to: Party;
}

export interface RequestEvent extends Seen {
  kind: 'request';
  method: string;
  target: string;
  httpVersion: string;
  headers: HeaderList;
}

export interface ResponseEvent extends Seen {
  kind: 'response';
  status: number;
  reason: string;
  httpVersion: string;
  headers: HeaderList;
  body?: string;
}

export interface FrameEvent extends Seen {
  kind: 'frame';
  fin: boolean;
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  opcode: number;
  masked: boolean;
  /** hex */
  maskKey?: string;
  /** Payload length as the frame header declared it. */
  length: number;
  /** base64, unmasked, capped */
  payload: string;
  truncated: boolean;
  /** base64, permessage-deflate decoded; on the frame that ends a compressed message */
  inflated?: string;
  close?: { code?: number; reason: string };
}

export interface ConnectEvent extends Seen {
  kind: 'connect';
  target: string;
  headers: HeaderList;
}

export interface CloseEvent extends Seen {
  kind: 'close';
  code: number;
  reason: string;
  wasClean: boolean;
}

export interface ErrorEvent extends Seen {
  kind: 'error';
  code: string;
  message: string;
}

/** The browser's `open` event (extension to DESIGN.md): what `WebSocket.protocol` and `.extensions` said. */
export interface OpenEvent extends Seen {
  kind: 'open';
  protocol: string;
  extensions: string;
}

export type LabEvent = RequestEvent | ResponseEvent | FrameEvent | ConnectEvent | CloseEvent | ErrorEvent | OpenEvent;
export type EventKind = LabEvent['kind'];

/** An event before the store stamps it with seq and time. */
export type NewEvent = LabEvent extends infer E ? (E extends LabEvent ? Omit<E, 'seq' | 'time'> : never) : never;

/** What a hop knows about a connection when it first sees it. */
export interface ConnectionMeta {
  url: string;
  route: Route;
  preset?: string;
}

/** One message on the live stream (Server-Sent Events, `event: lab`). */
export interface LiveEvent {
  connection: Omit<Connection, 'events' | 'findings'>;
  event: LabEvent;
}

/** `event: dropped` on the live stream: the stream could not keep up and skipped events; refetch the snapshot. */
export interface LiveDropped {
  events: number;
}

/** Body of `POST /api/sessions/:session/connections/:conn/events`: what only the browser can see. */
export type BrowserReport =
  | { kind: 'open'; meta: ConnectionMeta; protocol: string; extensions: string }
  | { kind: 'close'; meta: ConnectionMeta; code: number; reason: string; wasClean: boolean }
  | { kind: 'error'; meta: ConnectionMeta; code: string; message: string }
  | { kind: 'start'; meta: ConnectionMeta };

export const TRANSCRIPT_FORMAT = 'ws-upgrade-lab/transcript' as const;
export const DEFAULT_SESSION = 'default';

export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(x)}`);
}

// ---- The HTTP API around the transcript (server/src/api, web/src/api) ----
//
// POST /api/sessions                                    → 201 SessionCreated
// GET  /api/sessions/:session/transcript                → Transcript (404 for an unknown id)
// GET  /api/sessions/:session/live                      → text/event-stream: `event: lab` (LiveEvent),
//                                                         `event: dropped` (LiveDropped)
// POST /api/sessions/:session/connections/:conn/events  ← BrowserReport → 204
// POST /api/sessions/:session/connections/:conn/actions ← EchoAction → 202, 404 when no live echo connection
// GET  /api/info                                        → LabInfo
// Errors are JSON: ApiError, with a message that says what to do.

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
  limits: { maxEvents: number; maxPayloadBytes: number; maxCaptureBytes: number };
}
