// The transcript: the one contract between every hop, the API, the UI and exported files.
// DESIGN.md defines it; this module is its only definition. Extend it, never fork it.

export type Party = 'browser' | 'reverse-proxy' | 'nginx' | 'forward-proxy' | 'echo';
export type Route = 'direct' | 'reverse-proxy' | 'nginx' | 'forward-proxy';
import type { HeaderList } from '../wire/header-list.ts';
export type { HeaderList };

export interface Transcript {
  format: 'ws-upgrade-lab/transcript';
  version: 1;
  session: string;
  connections: Connection[];
  /** What the session's bounded buffers had to leave out (extension to DESIGN.md). */
  dropped?: Dropped;
  /**
   * Set when the session was opened from a file (`POST /api/sessions/import`, extension to
   * DESIGN.md): it is read-only, nothing is recorded under it and no action is taken on it.
   */
  imported?: Imported;
}

/** Where an imported session came from. */
export interface Imported {
  /** `transcript`: a file exported by the lab; `har`: a HAR (Chrome DevTools', or the lab's own). */
  from: 'transcript' | 'har';
  /** The file's name, when the page said it. */
  name?: string;
  at: string;
  /** For a HAR: only the browser's view was recorded (no hops, no frame headers, no handshake bytes). */
  browserOnly?: boolean;
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
  /**
   * The route the wire showed: the first hop that recorded the connection sets it (the forward
   * proxy when a CONNECT arrived, the echo server when nothing stood in front of it). Until a hop
   * has seen the connection, it is the route the page asked for.
   */
  route: Route;
  /**
   * The route the page asked for (the UI's route choice), when the page registered the connection
   * (extension to DESIGN.md). It may differ from `route`: a page cannot choose a proxy, so "Forward
   * proxy" in a browser without proxy settings is a direct connection.
   */
  chosenRoute?: Route;
  preset?: string;
  /**
   * The server behind the proxy when it is not the lab's echo server but one named with
   * `--upstream` (extension to DESIGN.md): its events keep the party `echo`, the server end.
   */
  upstream?: UpstreamRef;
  startedAt: string;
  /**
   * Set on a connection read back from disk after the lab restarted (extension to DESIGN.md):
   * nothing more will be recorded on it and no action reaches it.
   */
  restoredAt?: string;
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
  /**
   * When the fix is a proxy configuration change: the corrected nginx `location` block in full,
   * for the UI to show as a diff against the config the connection used (extension to DESIGN.md).
   */
  fixConfig?: string;
}

/** Every event says who observed it and which way the bytes travelled: from → to. */
export interface Seen {
  seq: number;
  time: string;
  observer: Party;
  from: Party;
  to: Party;
}

/** Where an HTTP/2 head travelled (extension to DESIGN.md): its stream. Absent over HTTP/1.1. */
export interface H2Stream {
  streamId: number;
}

export interface RequestEvent extends Seen {
  kind: 'request';
  /**
   * Over HTTP/2 (extension to DESIGN.md): `httpVersion` is `2`, the request is the HEADERS frame,
   * and `headers` are its fields as they arrived, pseudo-headers (`:method`, `:protocol`, `:scheme`,
   * `:path`, `:authority`) first, in order.
   */
  h2?: H2Stream;
  method: string;
  target: string;
  httpVersion: string;
  headers: HeaderList;
}

export interface ResponseEvent extends Seen {
  kind: 'response';
  /** Over HTTP/2: the HEADERS frame answering, `:status` first (extension to DESIGN.md). */
  h2?: H2Stream;
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
  /** base64, permessage-deflate decoded; on the frame that ends a compressed message. Capped like `payload`. */
  inflated?: string;
  /**
   * The whole message's inflated length, beside `inflated` (extension to DESIGN.md): when it
   * is larger than `inflated`, the copy was capped and the rest counted, not kept.
   */
  inflatedLength?: number;
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
  /**
   * For a refusal or timeout before a request head was whole: the bytes the hop had received
   * (extension to DESIGN.md).
   */
  received?: ReceivedBytes;
}

/** Bytes a hop received, as captured: base64 of at most the first few KiB. */
export interface ReceivedBytes {
  /** How many bytes arrived. */
  length: number;
  /** base64, capped */
  bytes: string;
  truncated: boolean;
}

/** The browser's `open` event (extension to DESIGN.md): what `WebSocket.protocol` and `.extensions` said. */
export interface OpenEvent extends Seen {
  kind: 'open';
  protocol: string;
  extensions: string;
}

/**
 * What a forward proxy can read of a TLS tunnel (extension to DESIGN.md): the ClientHello's
 * server name and ALPN, sent in the clear before any key is agreed. Nothing after it is readable.
 */
export interface TlsClientHelloEvent extends Seen {
  kind: 'tls-client-hello';
  /** server_name (SNI); absent when the client sent none (it never does for an IP address). */
  serverName?: string;
  /** ALPN protocols offered, in order (`http/1.1` for a WebSocket, `h2` too for a page). */
  alpn: string[];
  /** TLS versions offered, newest first as sent: `TLS 1.3`, `TLS 1.2`. */
  versions: string[];
  /** Bytes of the ClientHello message. */
  length: number;
  /** Set when what arrived was not a whole ClientHello: why (the tunnel is relayed all the same). */
  error?: string;
}

/**
 * A tunnel the forward proxy relayed without reading (extension to DESIGN.md): the bytes each
 * way over its whole life, TLS records included, recorded when it closed. No frames.
 */
export interface TunnelBytesEvent extends Seen {
  kind: 'tunnel-bytes';
  clientToServer: number;
  serverToClient: number;
}

/**
 * An HTTP/2 stream ended by RST_STREAM, or its connection by GOAWAY, with an error code
 * (extension to DESIGN.md): how a WebSocket over HTTP/2 is cut without a close handshake.
 */
export interface H2ResetEvent extends Seen {
  kind: 'h2-reset';
  frame: 'RST_STREAM' | 'GOAWAY';
  streamId: number;
  /** RFC 9113 §7: 0 NO_ERROR, 8 CANCEL, … */
  errorCode: number;
  errorName: string;
  /** GOAWAY's last stream id. */
  lastStreamId?: number;
}

export type LabEvent = RequestEvent | ResponseEvent | FrameEvent | ConnectEvent | CloseEvent | ErrorEvent | OpenEvent | TlsClientHelloEvent | TunnelBytesEvent | H2ResetEvent;
export type EventKind = LabEvent['kind'];

/** An event before the store stamps it with seq and time. */
export type NewEvent = LabEvent extends infer E ? (E extends LabEvent ? Omit<E, 'seq' | 'time'> : never) : never;

/** What a hop knows about a connection when it first sees it. */
export interface ConnectionMeta {
  url: string;
  route: Route;
  preset?: string;
  upstream?: UpstreamRef;
  /**
   * This is the page's choice, not a hop's observation (extension to DESIGN.md): the store keeps it
   * as `chosenRoute`, and the first hop that sees the connection sets `route`. The API sets it on
   * every browser report, whatever the page sent.
   */
  chosen?: boolean;
}

/** A server named on the command line with `--upstream <name>=<url>`. */
export interface UpstreamRef {
  name: string;
  /** As given: `ws://host:port/path` (`wss://` once the lab speaks TLS). */
  url: string;
}

/** One message on the live stream (Server-Sent Events, `event: lab`), and what a store subscriber is handed. */
export interface LiveEvent {
  connection: Omit<Connection, 'events' | 'findings'>;
  event: LabEvent;
}

export const TRANSCRIPT_FORMAT = 'ws-upgrade-lab/transcript' as const;
export const DEFAULT_SESSION = 'default';
