/**
 * Lessons as data: the one source the UI's player plays and the Playwright lessons run.
 *
 * A lesson answers one question people ask ("Why does my WebSocket fail behind nginx?"). It
 * is a plain object — no React, no DOM, nothing that needs a browser — so the page and
 * Playwright in Node import the very same definition (`web/src/lessons/index.ts`, `LESSONS`).
 *
 * - `steps` run one at a time. A step says something (`say`, short and plain, with `refs` to
 *   the RFC sections behind it), may do something in the real lab (`do`: choose a route and
 *   options, connect, send, ask the echo server for an action, close from the browser, wait,
 *   run a comparison, or show a terminal command), points at something in the workbench
 *   (`point`: a hop arrow, a header at a hop, a message, a finding, the Sec-WebSocket-Accept
 *   computation, the preset's config, the Compare view) and says what should be observed
 *   (`expect`: a status at a hop, the browser's CloseEvent, a header present or absent at a
 *   hop, a finding's rule, frames on a leg, Chromium's console text).
 * - Connections are named by the lesson (`as: 'broken'`, `as: 'fixed'`): an **alias**. A step
 *   that names none acts on the latest connection opened up to it (`currentAlias`). Aliases
 *   make a lesson replayable in any session: the player maps them to connection ids.
 * - A step with `fix` is the lesson's "Fix it": it re-runs against the fixed preset (or
 *   options) and points at the Compare view, broken against fixed.
 * - Strings may hold `{echo}`, `{proxy}`, `{nginx}`, `{ui}`, `{forwardProxy}`, `{forwardProxy:<preset>}` (ports), `{origin}`
 *   (the page's origin), `{idle}` (the idle-timeout preset's proxy_read_timeout in ms), `{url}`
 *   (the URL of the step's connection) and `{accept}` (Sec-WebSocket-Accept computed by hand from
 *   the key its echo server received); `fill()` in `world.ts` resolves them. Connect options may
 *   hold them too (`origin: 'http://example.test,{origin}'`).
 * - `needs` says what the lab must have beyond its own listeners (real nginx; Chrome started with
 *   the forward proxy). `model.test.ts` holds every lesson to the lab: its routes, presets,
 *   faults, finding rules, parties and aliases must exist.
 *
 * Playing a lesson — in the page (`features/lessons/`), in Playwright (`e2e/lesson-runner.ts`):
 * - `LessonProgress` is the whole state of a lesson being played: which lesson, which step is
 *   shown, which connection each alias became, how many steps have run. It is plain JSON, lives
 *   in the store (`store/lesson-slice.ts`, `lessonProgress`) and in the page URL
 *   (`?lesson=…&step=<from 1>&lc=alias:conn,…`), and is what another browser needs to follow.
 * - What the workbench shows for a step is derived, not stored: `resolvePointer()` turns the
 *   step's pointer and the session's transcript into a `Target` (connection, view, tab, hop
 *   arrow, message, header, finding), and `showTarget()` (features/lessons/use-lesson-pointer.ts)
 *   puts the workbench there and marks it (`lessonMark`, drawn with `[data-lesson-mark]`). A
 *   follower with the same progress and transcript derives the same view; to follow a selection
 *   made by hand, send the `Target`.
 * - Steps' actions run once, in order, in the browser that plays the lesson:
 *   `runStepsUpTo(step)` (features/lessons/run-steps.ts), with the connect form, Connect, the
 *   composer, the echo server's actions and the Compare run — the workbench's own calls.
 * - `evaluate()` judges each expectation against any transcript: held, not (yet) with what was
 *   observed, or only Chromium can tell. The player runs it in the page; the runner runs it
 *   against the lab's store, checks the player shows the same, then asks Chromium.
 * - `playLesson()` (e2e/lesson-runner.ts) opens a lesson from the catalogue and presses Next
 *   step by step, waiting for each step's "Done.": the loop a recorder can drive.
 */
import type { EchoAction } from '../../../server/src/api/types.ts';
import type { Party } from '../../../server/src/transcript/types.ts';
import type { ForwardProxyPresetName } from '../../../server/src/forward-proxy/presets.ts';

/** A connection of a lesson, by the name the lesson gives it. */
export type Alias = string;

/** The connect form's route: `direct`, `forward-proxy`, `reverse-proxy:<preset>`, `nginx:<preset>`; `+wss` over TLS. */
export type RouteKey = 'direct' | 'forward-proxy' | 'direct+wss' | 'direct+h2' | 'forward-proxy+wss' | `reverse-proxy:${string}` | `reverse-proxy+wss:${string}` | `nginx:${string}`;

/** How long, in ms, or in multiples of the idle-timeout preset's proxy_read_timeout. */
export type Duration = number | { idle: number };

/** The connect form's options; anything omitted is the default (off, empty). */
export interface ConnectOptions {
  subprotocols?: string;
  /** Add protocols= so the echo server accepts the subprotocols (default true). */
  serverAcceptsProtocols?: boolean;
  deflate?: boolean;
  heartbeat?: Duration;
  origin?: string;
  strict?: boolean;
  fault?: string;
}

export type Action =
  /** Set the connect form (route and options) as a student would; Connect is a step of its own. */
  | { do: 'choose'; route: RouteKey; options?: ConnectOptions }
  /** Press Connect with the form as it is; done once the socket opened or closed. */
  | { do: 'connect'; as: Alias }
  /** Send a text message from the browser; done once it came back (or 2 s passed). */
  | { do: 'send'; text: string; on?: Alias }
  /** Ask the echo server to act on the connection (close, ping, fragment, terminate). */
  | { do: 'server'; action: EchoAction; on?: Alias }
  /** `WebSocket.close(code, reason)` from the page; the browser may refuse (an outcome to expect). */
  | { do: 'close'; code: number; reason: string; on?: Alias }
  /** Wait this long. */
  | { do: 'wait'; ms: Duration }
  /** Wait until the browser's socket has closed, for at most `within`. */
  | { do: 'wait'; until: 'closed'; within: Duration; on?: Alias }
  /** The Compare view's one-click run: direct and `through` at once, one message, close 1000. */
  | { do: 'compare-run'; through: RouteKey; message: string; as: readonly [direct: Alias, proxied: Alias] }
  /**
   * A handshake a page cannot send (it cannot set Connection or Keep-Alive): the player shows
   * the terminal command, the runner sends the same request. Filed under `as` in this session.
   * With `proxy`, it goes through that forward-proxy preset as an absolute-URI request (`curl -x`).
   */
  | { do: 'terminal'; as: Alias; route: RouteKey; headers: readonly (readonly [name: string, value: string])[]; proxy?: ForwardProxyPresetName };

export type ConnectionTab = 'handshake' | 'frames' | 'close' | 'hops';

/** An arrow of the Hops tab: what was observed, on which leg, by whom. */
export type HopEvent = 'request' | 'response' | 'connect' | 'frames' | 'open' | 'close' | 'error' | 'tls-client-hello' | 'tunnel-bytes';

export type Pointer =
  | { at: 'hop'; on?: Alias; event: HopEvent; from: Party; to: Party; seenBy: Party }
  | { at: 'header'; on?: Alias; name: string; event: 'request' | 'response'; from: Party; to: Party; seenBy: Party }
  | { at: 'message'; on?: Alias; direction: 'sent' | 'received'; text?: string; opcode?: number }
  | { at: 'finding'; on?: Alias; rule: string }
  | { at: 'tab'; on?: Alias; tab: ConnectionTab }
  /** Sec-WebSocket-Accept computed by hand from the connection's own key. */
  | { at: 'accept'; on?: Alias }
  /** The nginx `location` the connection went through (the inspector). */
  | { at: 'config'; on?: Alias }
  | { at: 'compare'; left: Alias; right: Alias };

/** Where a head event travelled: `from → to`, as recorded by `seenBy` (any observer when omitted). */
interface Leg {
  from: Party;
  to: Party;
  seenBy?: Party;
}

export type Expectation =
  /** A response on a leg with this status; by default the one the browser got. */
  | { kind: 'status'; on?: Alias; status: number; from?: Party; to?: Party }
  /** The browser's CloseEvent. */
  | { kind: 'close'; on?: Alias; code: number; wasClean: boolean; reason?: string }
  /** Whether the page saw `open`. */
  | { kind: 'opened'; on?: Alias; opened: boolean }
  /** No CloseEvent yet: the connection is still open. */
  | { kind: 'still-open'; on?: Alias }
  | ({ kind: 'header'; on?: Alias; event: 'request' | 'response'; name: string; present: boolean; value?: string; includes?: string } & Leg)
  | ({ kind: 'http-version'; on?: Alias; version: string } & Leg)
  /** A finding of this rule is (or is not) on the connection; `says` is part of its summary. */
  | { kind: 'finding'; on?: Alias; rule: string; present: boolean; says?: string }
  /** A response's body (a refusal's reason) contains this text. */
  | ({ kind: 'body'; on?: Alias; includes: string } & Leg)
  /** The head `from` sent is the head `to` received, byte for byte: nothing else stood between them. */
  | { kind: 'same-head'; on?: Alias; event: 'request' | 'response'; from: Party; to: Party }
  /** The forward proxy was asked for a CONNECT tunnel to this `host:port`. */
  | { kind: 'tunnel'; on?: Alias; target: string }
  /** The forward proxy read a TLS ClientHello in the tunnel: this server name (SNI), offering this ALPN protocol. */
  | { kind: 'tls-hello'; on?: Alias; serverName?: string; alpn?: string }
  /** Frames (on a leg, or on any), how many (exactly, or at least), and what the first one carried. */
  | ({ kind: 'frames'; on?: Alias; opcode?: number; count?: number; atLeast?: number; text?: string; rsv1?: boolean; rsv2?: boolean; masked?: boolean; fin?: boolean } & Partial<Leg>)
  /** A close frame sent by `from` (as the echo server's tap saw it, unless `seenBy`). */
  | { kind: 'close-frame'; on?: Alias; from: Party; seenBy?: Party; code: number; reason?: string }
  /** An error a hop recorded on a leg (PROXY_READ_TIMEOUT: the idle cut). */
  | ({ kind: 'hop-error'; on?: Alias; code: string } & Leg)
  /** What `WebSocket.protocol` / `.extensions` said at `open`. */
  | { kind: 'negotiated'; on?: Alias; protocol?: string; extensions?: string }
  /** The step's close() was refused by the browser with this DOMException. */
  | { kind: 'browser-refused'; error: 'InvalidAccessError' | 'SyntaxError' }
  /** The echo server received the same request both ways, but for the new Sec-WebSocket-Key. */
  | { kind: 'same-at-echo'; left: Alias; right: Alias }
  /** Chromium's console line, `WebSocket connection to '{url}' failed: <says>`: only Chromium knows it. */
  | { kind: 'chromium'; on?: Alias; says: string };

/** The "Fix it" step: what changed, from which connection to which. */
export interface Fix {
  broken: Alias;
  fixed: Alias;
  /** The change, in one line: "proxy_http_version 1.1 and Upgrade, Connection set again". */
  change: string;
}

export interface Step {
  /** Unique within the lesson; a test's extra checks are keyed by it. */
  id: string;
  title: string;
  /** The narration: short, plain. */
  say: string;
  /** RFC sections (and docs) behind what it says. */
  refs?: readonly string[];
  do?: readonly Action[];
  /** What to look at; the first is shown when the step opens. */
  point?: readonly Pointer[];
  expect?: readonly Expectation[];
  fix?: Fix;
}

/** What a lesson needs beyond the lab's own listeners. */
export type Need =
  /** Real nginx running in the lab (`apt-get install nginx-light`). */
  | 'nginx'
  /** Chrome started with the lab's forward proxy as its proxy. */
  | 'browser-proxy'
  /** Chrome that accepts the lab's TLS certificate (started with its SPKI hash, or trusting it). */
  | 'tls'
  /** The page opened from the lab's HTTP/2 port (`https://…:<h2 port>/`). */
  | 'http2';

export interface Lesson {
  /** Kebab-case; in the page URL, test titles and recording folders. */
  id: string;
  /** The question it answers; the catalogue groups lessons by it. */
  question: QuestionId;
  title: string;
  /** The one idea it teaches. */
  concept: string;
  /** The short answer, shown first. */
  answer: string;
  /** What it shows, for its card. */
  shows: string;
  /** Estimated minutes for a student. */
  minutes: number;
  needs?: readonly Need[];
  /** With the `browser-proxy` need: the forward-proxy preset Chrome's proxy must be (the plain forward proxy when omitted). */
  proxy?: ForwardProxyPresetName;
  steps: readonly Step[];
}

export type QuestionId =
  | 'fails-behind-nginx'
  | 'upgrade-token'
  | 'forbidden-behind-proxy'
  | 'drops-when-idle'
  | 'hop-by-hop'
  | 'connect-tunnel'
  | 'corporate-proxy'
  | 'what-is-upgrade'
  | 'handshake-error'
  | 'closed-1006'
  | 'http10-upgrade'
  | 'compression'
  | 'close-codes';

export interface Question {
  id: QuestionId;
  text: string;
}

/** The whole state of a lesson being played: plain JSON, in the page URL, and enough for another browser to follow. */
export interface LessonProgress {
  lesson: string;
  /** The step shown, from 0. */
  step: number;
  /** Each alias's connection id in this session. */
  connections: Record<Alias, string>;
  /** Steps before this index have run their actions. */
  ran: number;
}
