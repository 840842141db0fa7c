// A scenario: what a user did in the lab (connects with their URLs, sends, the echo server's
// actions, closes) and what the hops observed, made into a lesson definition and a Playwright spec
// that replays it and asserts the same observations (examples/lab-fixture.ts runs it).
import type { EchoAction } from '../../../server/src/api/types.ts';
import type { Route } from '../../../server/src/transcript/types.ts';
import type { ConnectOptions, Expectation, RouteKey } from '../lessons/types.ts';

/** One thing this tab did, as the workbench did it (features/scenario/action-log.ts records them). */
export type RecordedAction =
  | { do: 'connect'; session: string; conn: string; url: string; route: Route; preset?: string; protocols: string[] }
  | { do: 'send'; session: string; conn: string; text: string }
  | { do: 'send-binary'; session: string; conn: string; bytes: number }
  | { do: 'server'; session: string; conn: string; action: EchoAction }
  | { do: 'close'; session: string; conn: string; code?: number; reason: string };

export interface ScenarioConnection {
  /** The name the lesson and the spec give it: `conn1`, `conn2`, … */
  alias: string;
  /** Its id in the recorded session. */
  conn: string;
  route: RouteKey;
  /** The path after the route's preset prefix, with the query but for `lab` and `conn`; `{origin}` for the page's origin. */
  path: string;
  protocols: string[];
  /** The same, as the connect form's options (for the lesson). */
  options: ConnectOptions;
  /** What the hops observed, as expectations. */
  expect: Expectation[];
}

export type ScenarioStep =
  | { do: 'connect'; alias: string }
  | { do: 'send'; alias: string; text: string }
  | { do: 'server'; alias: string; action: EchoAction }
  | { do: 'close'; alias: string; code?: number; reason: string };

export interface Scenario {
  /** Kebab-case: the lesson id and the files' names. */
  name: string;
  recordedAt: string;
  connections: ScenarioConnection[];
  steps: ScenarioStep[];
  /** What could not be made replayable, in words (a binary message, a route a page cannot choose). */
  skipped: string[];
}
