// What nginx makes of a pasted config for one location: which directives apply there (its own,
// or inherited from the levels around it, by nginx's rules), which location a path reaches,
// and what proxy_pass is made of.

import { HTTP_LEVEL } from './directives.ts';
import type { Statement } from './parse.ts';

export interface PastedLayout {
  mode: 'location' | 'server';
  /** Statements at http level (the maps, and in a server paste whatever sits beside the server block). */
  http: Statement[];
  /** Statements at server level: the server block's, or a location paste's top-level ones. */
  server: Statement[];
  /** The pasted server block, in a server paste. */
  serverBlock?: Statement;
}

export function layoutOf(statements: readonly Statement[]): PastedLayout {
  const serverBlock = statements.find((s) => s.name.value === 'server' && s.block);
  if (serverBlock) return { mode: 'server', http: statements.filter((s) => s !== serverBlock), server: serverBlock.block ?? [], serverBlock };
  return {
    mode: 'location',
    http: statements.filter((s) => HTTP_LEVEL.has(s.name.value)),
    server: statements.filter((s) => !HTTP_LEVEL.has(s.name.value)),
  };
}

export interface LocationView {
  statement: Statement;
  /** `=`, `^~`, `~`, `~*`, `@` for a named one, or '' for a prefix. */
  modifier: string;
  path: string;
  /** `location /ws/`, as a sentence names it. */
  text: string;
  /** The levels whose directives apply, outermost first: http, server, any outer locations, this one. */
  levels: Statement[][];
}

const MODIFIERS = new Set(['=', '^~', '~', '~*']);

function view(statement: Statement, levels: Statement[][]): LocationView {
  const [first, second] = statement.args;
  const split = first !== undefined && MODIFIERS.has(first.value) && second !== undefined;
  const modifier = split ? first.value : first?.value.startsWith('@') ? '@' : '';
  const path = split ? second.value : (first?.value ?? '');
  return { statement, modifier, path, text: `location ${statement.args.map((a) => a.value).join(' ')}`, levels: [...levels, statement.block ?? []] };
}

/** Every location of the paste, nested ones too, in the order they appear. */
export function locationsOf(layout: PastedLayout): LocationView[] {
  const out: LocationView[] = [];
  const visit = (list: readonly Statement[], levels: Statement[][]) => {
    for (const statement of list) {
      if (statement.name.value !== 'location' || !statement.block) continue;
      const location = view(statement, levels);
      out.push(location);
      visit(statement.block, location.levels);
    }
  };
  visit(layout.server, [layout.http, layout.server]);
  return out;
}

/** The statements of `name` in one level (not inside `if` or nested blocks). */
const own = (level: readonly Statement[], name: string) => level.filter((s) => s.name.value === name);

/** A directive nginx inherits whole: the innermost level's. */
export function effective(levels: readonly Statement[][], name: string): Statement | undefined {
  for (let i = levels.length - 1; i >= 0; i--) {
    const found = own(levels[i]!, name)[0];
    if (found) return found;
  }
  return undefined;
}

/**
 * proxy_set_header (and every array directive): a level inherits the list of the level around
 * it only when it sets none of its own. Answers the list in effect and the level it comes from.
 */
export function effectiveList(levels: readonly Statement[][], name: string, upTo = levels.length - 1): { statements: Statement[]; level: number } {
  for (let i = upTo; i >= 0; i--) {
    const found = own(levels[i]!, name);
    if (found.length > 0) return { statements: found, level: i };
  }
  return { statements: [], level: -1 };
}

/** `proxy_set_header Name value;` in effect, by lower-cased name: the first of each. */
export function setHeader(levels: readonly Statement[][], name: string): Statement | undefined {
  return effectiveList(levels, 'proxy_set_header').statements.find((s) => s.args[0]?.value.toLowerCase() === name.toLowerCase());
}

const TIME_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, M: 2_592_000_000, y: 31_536_000_000 };

/** nginx's time syntax (`60`, `90s`, `1m30s`, `500ms`, `1h 30m`) in ms; undefined when nginx would refuse it. */
export function parseNginxTime(text: string): number | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!/^(\d+(ms|s|m|h|d|w|M|y)?)+$/.test(compact)) return undefined;
  let total = 0;
  for (const match of compact.matchAll(/(\d+)(ms|s|m|h|d|w|M|y)?/g)) total += Number(match[1]) * TIME_UNITS[match[2] ?? 's']!;
  return total;
}

export interface ProxyPassParts {
  scheme: string;
  /** host:port, `unix:/path:`, or the variable standing for them. */
  authority: string;
  /** What follows the authority: the URI part that replaces the location's path ('' when none). */
  uri: string;
}

/** `http://backend:3000/ws` → http, backend:3000, /ws; `http://$up$request_uri` → http, $up, $request_uri. */
export function proxyPassParts(value: string): ProxyPassParts | undefined {
  const match = /^([^\s:/]*):\/\/(.*)$/s.exec(value);
  if (!match) return undefined;
  const scheme = match[1]!;
  const rest = match[2]!;
  if (rest.startsWith('unix:')) {
    const end = rest.indexOf(':', 5);
    return end === -1 ? { scheme, authority: rest, uri: '' } : { scheme, authority: rest.slice(0, end + 1), uri: rest.slice(end + 1) };
  }
  // A host (a name or one variable), then an optional :port (digits or one variable); the URI starts at `/` or the next variable.
  const host = /^(\[[^\]]*\]|\$\{\w+\}|\$\w+|[^/$:]*)(:(\d+|\$\{\w+\}|\$\w+))?/.exec(rest)![0];
  return { scheme, authority: host, uri: rest.slice(host.length) };
}

/** Whether a value uses nginx variables. */
export const hasVariables = (value: string) => /\$(\{\w+\}|\w)/.test(value);

/** A JavaScript RegExp for a regex location, when PCRE's syntax there is one JavaScript shares. */
function regexOf(location: LocationView): RegExp | undefined {
  try {
    return new RegExp(location.path, location.modifier === '~*' ? 'i' : '');
  } catch {
    return undefined;
  }
}

/** A request path that reaches `location`, as nginx matches: `/ws/` for `location /ws/`, `/socket.io/` for `~ ^/socket\.io/`. */
export function requestPathFor(location: LocationView): string {
  let path = location.path;
  if (location.modifier === '~' || location.modifier === '~*') {
    path = '';
    const source = location.path.replace(/^\^/, '');
    for (let i = 0; i < source.length; i++) {
      const ch = source[i]!;
      if (ch === '\\' && i + 1 < source.length && /[./\-_~]/.test(source[i + 1]!)) {
        path += source[++i];
        continue;
      }
      if (/[\\[\](){}*+?|$.^]/.test(ch)) break;
      path += ch;
    }
    if (!path.startsWith('/')) path = `/${path}`;
  }
  return path.startsWith('/') ? path : `/${path}`;
}

/** The location nginx picks for a path (top level of the server): exact, longest prefix, `^~`, then regexes in order. */
export function matchLocation(all: readonly LocationView[], path: string): LocationView | undefined {
  const top = all.filter((l) => l.levels.length === 3);
  const exact = top.find((l) => l.modifier === '=' && l.path === path);
  if (exact) return exact;
  const prefixes = top.filter((l) => (l.modifier === '' || l.modifier === '^~') && path.startsWith(l.path)).sort((a, b) => b.path.length - a.path.length);
  const longest = prefixes[0];
  if (longest?.modifier === '^~') return longest;
  for (const l of top) {
    if (l.modifier !== '~' && l.modifier !== '~*') continue;
    if (regexOf(l)?.test(path)) return l;
  }
  return longest;
}
