// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), with the fields Chrome DevTools adds
// to a WebSocket's entry: `_resourceType: "websocket"` and `_webSocketMessages`.

export interface Har {
  log: HarLog;
}

export interface HarLog {
  version: string;
  creator: HarCreator;
  browser?: HarCreator;
  pages?: unknown[];
  entries: HarEntry[];
  comment?: string;
}

export interface HarCreator {
  name: string;
  version: string;
  comment?: string;
}

export interface HarNameValue {
  name: string;
  value: string;
}

export interface HarEntry {
  pageref?: string;
  startedDateTime: string;
  /** Milliseconds: the sum of the timings that apply. */
  time: number;
  request: HarRequest;
  response: HarResponse;
  cache: Record<string, unknown>;
  timings: HarTimings;
  serverIPAddress?: string;
  connection?: string;
  comment?: string;
  /** Chrome's: `websocket` for a WebSocket's handshake entry. */
  _resourceType?: string;
  /** Chrome's: the messages of that WebSocket, as DevTools' Messages panel lists them. */
  _webSocketMessages?: HarWebSocketMessage[];
}

export interface HarRequest {
  method: string;
  url: string;
  httpVersion: string;
  cookies: HarNameValue[];
  headers: HarNameValue[];
  queryString: HarNameValue[];
  headersSize: number;
  bodySize: number;
}

export interface HarResponse {
  status: number;
  statusText: string;
  httpVersion: string;
  cookies: HarNameValue[];
  headers: HarNameValue[];
  content: { size: number; mimeType: string; text?: string; encoding?: string };
  redirectURL: string;
  headersSize: number;
  bodySize: number;
}

export interface HarTimings {
  blocked?: number;
  dns?: number;
  connect?: number;
  send: number;
  wait: number;
  receive: number;
  ssl?: number;
}

/** One message in Chrome's `_webSocketMessages`. */
export interface HarWebSocketMessage {
  /** DevTools also lists a WebSocket's errors among its messages: `error`, the message in `data`, opcode -1. */
  type: 'send' | 'receive' | 'error';
  /** Seconds since the epoch, with a fraction. */
  time: number;
  opcode: number;
  /** Text for opcode 1; base64 for binary (opcode 2). */
  data: string;
}
