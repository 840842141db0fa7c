// The HTTP API around the transcript (server/src/api, web/src/api): what is asked and answered.
// The transcript itself, the one contract, is in ../transcript/types.ts.

import type { ConnectionMeta, Dropped, Finding } from '../transcript/types.ts';
import type { ForwardProxyPresetName } from '../forward-proxy/presets.ts';

/** `event: dropped` on the live stream: the stream could not keep up and skipped events; refetch the snapshot. */
export interface LiveDropped {
  events: number;
}

/**
 * `event: findings` on the live stream: a connection's findings, recomputed by the lab when its
 * state changed (a handshake, an open, a close, an error, a frame of a kind it had not seen).
 * They reflect its events up to seq `upTo`; a snapshot read later than that has them already.
 */
export interface LiveFindings {
  connection: string;
  findings: Finding[];
  upTo: number;
}

/** `event: counts` on the live stream: what the session could not keep, each time that grows. */
export interface LiveCounts {
  dropped: Dropped;
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
// POST /api/sessions/import[?name=]                     ← a transcript or a HAR → 201 ImportedSession (read-only)
// GET  /api/sessions/:session/har                       → HAR 1.2 with Chrome's _webSocketMessages
// GET  /api/sessions/:session/transcript                → Transcript (404 for an unknown id)
// GET  /api/sessions/:session/live                      → text/event-stream: `event: lab` (LiveEvent),
//                                                         `event: findings` (LiveFindings), `event: counts` (LiveCounts),
//                                                         `event: dropped` (LiveDropped), `event: evicted` (LiveEvicted)
// POST /api/sessions/:session/connections/:conn/events  ← BrowserReport → 204
// POST /api/sessions/:session/connections/:conn/actions ← EchoAction → 202, 404 when no live echo connection
// GET  /api/sessions/:session/presenter                 → PresenterBoardState (`state: null` when nobody presents)
// POST /api/sessions/:session/presenter                 ← PresenterPost → 200; 409 when another tab presents
// DELETE /api/sessions/:session/presenter               → 204: stop presenting (the presenting tab only)
// The live stream also says `event: presenter` (PresenterBoardState) when it opens and on every change.
// A page sends its tab's owner token (OWNER_HEADER) on every POST: the tab that registered a connection
// (`start`) owns it, and reports and actions on it from any other tab are 403 (the reason in `error`).
// GET  /api/info                                        → LabInfo
// Errors are JSON: ApiError, with a message that says what to do. Every request must name a Host the
// lab serves, and a POST must come from the lab's own origin with Content-Type: application/json (403, 415).

export * from './follow-types.ts';

export interface SessionCreated {
  id: string;
}

/** Answer of `POST /api/sessions/import[?name=<file name>]` (body: a transcript or a HAR) → 201; 413 too large, 422 the first bad field. */
export interface ImportedSession {
  id: string;
  from: 'transcript' | 'har';
  connections: number;
  events: number;
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
  /** TLS listeners (`--tls-port` and the ports after it): wss:// to the echo server, to the reverse proxy (TLS terminated), the UI over HTTPS. */
  echoTls?: number;
  proxyTls?: number;
  uiTls?: number;
  /** The page, API and WebSockets over HTTP/2 (RFC 8441): `--h2-port`. */
  h2?: number;
  /** The same without SETTINGS_ENABLE_CONNECT_PROTOCOL (`--h2-no-connect-port`): WebSockets fall back to HTTP/1.1. */
  h2NoConnect?: number;
  /** Forward-proxy presets, each on its own port (`--forward-proxy-preset <name>=<port>`). */
  forwardProxyPresets?: Partial<Record<ForwardProxyPresetName, number>>;
}

/** The lab's TLS certificate, and how to make Chrome accept it. */
export interface TlsInfo {
  /** base64 SHA-256 of its SubjectPublicKeyInfo: `--ignore-certificate-errors-spki-list=<spki>`. */
  spki: string;
  certPath: string;
  /** Made by the lab (under the data dir) rather than given with --tls-cert. */
  generated: boolean;
  names: string[];
  validTo: string;
}

/** A forward-proxy preset: a corporate proxy's behaviour, on its own port. */
export interface ForwardProxyPresetInfo {
  name: ForwardProxyPresetName;
  description: string;
  /** The proxy configuration it behaves like (Squid's words). */
  config: string;
  port: number;
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
  /** The certificate the TLS listeners present, when they run. */
  tls?: TlsInfo;
  /** The forward proxy's presets that run (empty without a forward proxy). */
  forwardProxyPresets: ForwardProxyPresetInfo[];
  nginx: NginxInfo;
  /** `--upstream`: the user's own servers the proxies reach at `/upstream/<name>/…`. */
  upstreams: UpstreamInfo[];
  /** Pasted nginx configs (`POST /api/nginx-configs`). */
  nginxConfigs: NginxConfigsInfo;
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

// ---- Pasted nginx configs (server/src/nginx-config, server/src/api/nginx-configs.ts) ----
//
// POST   /api/nginx-configs                   ← NginxConfigRequest → 201 NginxConfigResult (running),
//                                               422 NginxConfigResult (refused, or nginx -t failed), 429 when busy
// GET    /api/nginx-configs                   → NginxConfigSummary[]
// GET    /api/nginx-configs/:id               → NginxConfigResult
// GET    /api/nginx-configs/:id/verdicts?session=&conn=[&plain=]  → NginxVerdicts (each pitfall judged by that run)
// DELETE /api/nginx-configs/:id               → 204 (nginx stopped, its folder removed)
// Only from loopback unless the lab runs with --allow-remote-configs.

export interface NginxConfigRequest {
  /** A `location` block or a `server` block, with the `map` blocks they use. */
  config: string;
  /** Point proxy_pass at this `--upstream` instead of the echo server. */
  upstream?: string;
  /** The app's heartbeat (ms), to judge proxy_read_timeout against. */
  heartbeatMs?: number;
  /** The id of a config this one replaces: it is stopped first. */
  replaces?: string;
}

export type NginxRefusalKind =
  | 'include'
  | 'loads-code'
  | 'main-context'
  | 'writes-logs'
  | 'reads-files'
  | 'writes-files'
  | 'tls-files'
  | 'network'
  | 'file-test'
  | 'bad-proxy-pass'
  | 'too-large'
  | 'unknown-directive'
  | 'shape';

/** A line the lab will not run, and why. */
export interface NginxRefusal {
  line: number;
  directive: string;
  kind: NginxRefusalKind;
  reason: string;
}

/** What nginx -t (or the lab's reader, in nginx's words, for text nginx would not even read) said. */
export interface NginxTestMessage {
  level: 'emerg' | 'alert' | 'crit' | 'error' | 'warn' | 'notice' | 'info';
  text: string;
  /** The line of the pasted text it is about, when it is about one. */
  line?: number;
}

/** What the lab changed before running the text, line by line. */
export interface NginxRewrite {
  line: number;
  directive: string;
  from: string;
  to: string;
  why: string;
}

export type NginxPitfallId =
  | 'proxy-http-version'
  | 'upgrade-not-set'
  | 'connection-not-set'
  | 'connection-constant'
  | 'host-without-port'
  | 'read-timeout'
  | 'server-headers-dropped'
  | 'proxy-pass-uri';

/** A known WebSocket pitfall found in the text, before any run. */
export interface NginxPitfall {
  id: NginxPitfallId;
  /** The line to point at. */
  line: number;
  /** Other lines it involves (the server-level headers a location drops). */
  lines: number[];
  /** The location it is about: `location /ws/` (and its line). */
  location: { text: string; line: number };
  summary: string;
  why: string;
  fix: string;
  reference: string;
  /** read-timeout: the proxy_read_timeout in effect. */
  timeoutMs?: number;
  /** server-headers-dropped: the headers that do not reach the location. */
  dropped?: { name: string; value: string; line: number }[];
}

/** How the UI (or a terminal client) tests the config: where to connect and for how long. */
export interface NginxRunPlan {
  /** The request path that reaches the location the pitfalls are about. */
  path: string;
  location: { text: string; line: number };
  /** `ws://host:nginx-port<path>?nginx-config=<id>`: the URL, without the lab's own parameters. */
  url: string;
  /** Stay quiet this long after the echo, to see whether proxy_read_timeout cuts the tunnel. */
  idleMs?: number;
  /** Ask the echo server to ping at this interval (the app's heartbeat). */
  heartbeatMs?: number;
  /** Also send a plain GET (no Upgrade) through the location, as `<conn>-plain`. */
  plainRequest: boolean;
}

export type NginxConfigOutcome = 'running' | 'refused' | 'invalid';

export interface NginxConfigResult {
  /** Set once it runs. */
  id?: string;
  outcome: NginxConfigOutcome;
  /** Also an ApiError: one sentence when it does not run. */
  error?: string;
  mode?: 'location' | 'server';
  /** The preset name connections through it carry: `custom:<id>`. */
  preset?: string;
  upstream?: string;
  refusals: NginxRefusal[];
  /** nginx -t's messages (warnings too when it passed). */
  test: NginxTestMessage[];
  rewrites: NginxRewrite[];
  pitfalls: NginxPitfall[];
  run?: NginxRunPlan;
}

export interface NginxConfigSummary {
  id: string;
  preset: string;
  upstream?: string;
  startedAt: string;
  lines: number;
}

export type NginxVerdict = 'confirmed' | 'refuted' | 'not-run';

export interface NginxPitfallVerdict {
  id: NginxPitfallId;
  line: number;
  verdict: NginxVerdict;
  /** What the run showed, quoting what each hop recorded. */
  evidence: string;
}

export interface NginxVerdicts {
  id: string;
  conn: string;
  verdicts: NginxPitfallVerdict[];
}

/** `--upstream` as `/api/info` lists it. */
export interface UpstreamInfo {
  name: string;
  url: string;
  /** The path the UI opens behind `/upstream/<name>`. */
  path: string;
}

/** Whether the lab takes pasted nginx configs from this client, and how many may run at once. */
export interface NginxConfigsInfo {
  available: boolean;
  /** Why not, in words a user can act on. */
  reason?: string;
  maxRunning: number;
  /** Whether clients other than loopback may paste configs (`--allow-remote-configs`). */
  remoteAllowed: boolean;
}
