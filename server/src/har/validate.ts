// The structure HAR 1.2 requires (every required field, with its type), and Chrome's WebSocket
// fields when present. Returns every problem, each naming its field: `log.entries[0].timings.wait`.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

type Check = (v: unknown) => string | undefined;
const string: Check = (v) => (typeof v === 'string' ? undefined : 'must be a string');
const number: Check = (v) => (typeof v === 'number' && Number.isFinite(v) ? undefined : 'must be a number');
const integer: Check = (v) => (typeof v === 'number' && Number.isInteger(v) ? undefined : 'must be a whole number');
const date: Check = (v) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) && /^\d{4}-\d\d-\d\dT/.test(v) ? undefined : 'must be an ISO 8601 date and time');
const timing: Check = (v) => (typeof v === 'number' && (v >= 0 || v === -1) ? undefined : 'must be a number of milliseconds, or -1 when it does not apply');

interface Shape {
  required: Record<string, Check | Shape | [Shape]>;
  optional?: Record<string, Check | Shape | [Shape]>;
}

const nameValue: Shape = { required: { name: string, value: string } };
const creator: Shape = { required: { name: string, version: string }, optional: { comment: string } };
const message: Shape = {
  required: {
    type: (v) => (v === 'send' || v === 'receive' || v === 'error' ? undefined : 'must be "send", "receive" or "error"'),
    time: number,
    // -1 on DevTools' `error` entries.
    opcode: (v) => (typeof v === 'number' && Number.isInteger(v) && v >= -1 && v <= 15 ? undefined : 'must be an opcode from 0 to 15'),
    data: string,
  },
};
const entry: Shape = {
  required: {
    startedDateTime: date,
    time: (v) => (typeof v === 'number' && v >= 0 ? undefined : 'must be a number of milliseconds from 0'),
    request: {
      required: { method: string, url: string, httpVersion: string, cookies: [nameValue], headers: [nameValue], queryString: [nameValue], headersSize: integer, bodySize: integer },
    },
    response: {
      required: {
        status: integer,
        statusText: string,
        httpVersion: string,
        cookies: [nameValue],
        headers: [nameValue],
        content: { required: { size: integer, mimeType: string }, optional: { text: string, encoding: string } },
        redirectURL: string,
        headersSize: integer,
        bodySize: integer,
      },
    },
    cache: { required: {} },
    timings: { required: { send: timing, wait: timing, receive: timing }, optional: { blocked: timing, dns: timing, connect: timing, ssl: timing } },
  },
  optional: { pageref: string, serverIPAddress: string, connection: string, comment: string, _resourceType: string, _webSocketMessages: [message] },
};
const har: Shape = {
  required: {
    log: {
      required: { version: string, creator, entries: [entry] },
      optional: {
        browser: creator,
        comment: string,
        pages: [{ required: { startedDateTime: date, id: string, title: string, pageTimings: { required: {} } } }],
      },
    },
  },
};

function check(value: unknown, shape: Check | Shape | [Shape], path: string, problems: string[], max: number): void {
  if (problems.length >= max) return;
  if (typeof shape === 'function') {
    const problem = shape(value);
    if (problem) problems.push(`${path} ${problem}, not ${value === undefined ? 'missing' : JSON.stringify(value)?.slice(0, 40)}`);
    return;
  }
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return void problems.push(`${path} must be a list`);
    value.forEach((item, i) => check(item, shape[0], `${path}[${i}]`, problems, max));
    return;
  }
  if (!isObj(value)) return void problems.push(`${path} must be an object${value === undefined ? ' (it is missing)' : ''}`);
  for (const [key, inner] of Object.entries(shape.required)) check(value[key], inner, `${path}.${key}`, problems, max);
  for (const [key, inner] of Object.entries(shape.optional ?? {})) if (value[key] !== undefined) check(value[key], inner, `${path}.${key}`, problems, max);
}

/** What is wrong with `value` as a HAR 1.2 file (at most `max` problems); empty when nothing is. */
export function harProblems(value: unknown, max = 20): string[] {
  const problems: string[] = [];
  check(value, har, 'har', problems, max);
  if (problems.length === 0) {
    const version = (value as { log: { version: string } }).log.version;
    if (!/^1\.[12]$/.test(version)) problems.push(`har.log.version must be "1.2" (or "1.1"), not ${JSON.stringify(version)}`);
  }
  return problems.map((p) => p.replace(/^har\./, ''));
}
