// A pasted config made runnable, changing only what the lab must: proxy_pass points at the echo
// server (or a named upstream), listen is the lab's own, upstream blocks go. Every change keeps
// the text's line numbers, so nginx's own messages name the user's lines: a removed statement
// becomes spaces, a replaced word stays on its line, and the lab's listen joins the server's
// opening line. The text goes into the lab's frame with `include`, from the private folder.

import type { NginxRewrite } from '../api/types.ts';
import { childNginxConfig, includeFile, listenAddress } from '../nginx/config.ts';
import { HTTP_LEVEL } from './directives.ts';
import { layoutOf, proxyPassParts, type PastedLayout } from './effective.ts';
import { walk, type Statement } from './parse.ts';

export interface ProxyPassTarget {
  /** `127.0.0.1:<port>`: where every proxy_pass now goes. */
  authority: string;
  /** In words: "the echo server", "upstream app (ws://…) through the lab's relay". */
  label: string;
}

export interface PreparedConfig {
  mode: PastedLayout['mode'];
  rewrites: NginxRewrite[];
  /** The files for nginx listening on `listen`, with paths under `dir`: nginx.conf and what it includes. */
  files(listen: { host: string; port: number }, dir: string): Record<string, string>;
}

export const PASTED_HTTP = 'pasted-http.conf';
export const PASTED_SERVER = 'pasted-server.conf';

interface Op {
  start: number;
  end: number;
  text: string;
}

const blank = (text: string) => text.replace(/[^\n]/g, ' ');

/** A word nginx reads back as `value`, quoted, with nothing that could end it or start a new line. */
function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

function apply(text: string, ops: Op[]): string {
  const sorted = [...ops].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const op of sorted) {
    if (op.start < at) continue; // inside a statement already removed from this file
    out += text.slice(at, op.start) + op.text;
    at = op.end;
  }
  return out + text.slice(at);
}

const statementText = (s: Statement) => [s.name, ...s.args].map((t) => t.value).join(' ');

export function prepareConfig(text: string, statements: readonly Statement[], target: ProxyPassTarget): PreparedConfig {
  const layout = layoutOf(statements);
  const rewrites: NginxRewrite[] = [];
  const common: Op[] = [];
  for (const statement of statements) {
    if (statement.name.value !== 'upstream' || !statement.block) continue;
    common.push({ start: statement.start, end: statement.end, text: blank(text.slice(statement.start, statement.end)) });
    rewrites.push({ line: statement.line, directive: 'upstream', from: `${statementText(statement)} { … }`, to: '(removed)', why: `proxy_pass now names ${target.label}, so nginx does not need the servers it lists (nor resolves their names).` });
  }
  for (const { statement, parents } of walk(statements)) {
    if (parents.some((p) => p.name.value === 'upstream') || statement.name.value === 'upstream') continue;
    if (statement.name.value === 'listen') {
      common.push({ start: statement.start, end: statement.end, text: blank(text.slice(statement.start, statement.end)) });
      rewrites.push({ line: statement.line, directive: 'listen', from: statementText(statement), to: '(the lab\'s own listen)', why: "nginx listens on a private loopback port behind the lab's tap on the nginx port, which records the browser's leg." });
    }
    const url = statement.args[0];
    if (statement.name.value !== 'proxy_pass' || !url) continue;
    const parts = proxyPassParts(url.value);
    if (!parts) continue; // refused by the safety check
    const to = `http://${target.authority}${parts.uri}`;
    common.push({ start: url.start, end: url.end, text: quote(to) });
    const notes = [`proxy_pass now reaches ${target.label}; nginx's default Host ($proxy_host) names it`];
    if (parts.scheme !== 'http') notes.push(`the lab speaks plain HTTP to it, not ${parts.scheme}`);
    if (/\$/.test(parts.authority) && !/\$/.test(parts.uri)) notes.push('with a variable host nginx would pass the URI part as it is; now it replaces the location\'s path with it as for any fixed proxy_pass');
    rewrites.push({ line: statement.line, directive: 'proxy_pass', from: url.value, to, why: `${notes.join('; ')}.` });
  }
  return {
    mode: layout.mode,
    rewrites: rewrites.sort((a, b) => a.line - b.line),
    files(listen, dir): Record<string, string> {
      const address = listenAddress(listen.host, listen.port);
      if (layout.mode === 'server') {
        const server = layout.serverBlock!;
        const ops = [...common, { start: server.open! + 1, end: server.open! + 1, text: ` listen ${address};` }];
        return {
          'nginx.conf': childNginxConfig({ prefix: dir, comment: 'A pasted server block, run by the WebSocket Upgrade Lab.', workerConnections: 1024, http: [`    ${includeFile(dir, PASTED_HTTP)}`] }),
          [PASTED_HTTP]: `${apply(text, ops)}\n`,
        };
      }
      const httpOnly = (s: Statement) => HTTP_LEVEL.has(s.name.value);
      const without = (keep: (s: Statement) => boolean): Op[] =>
        statements.filter((s) => !keep(s)).map((s) => ({ start: s.start, end: s.end, text: blank(text.slice(s.start, s.end)) }));
      return {
        'nginx.conf': childNginxConfig({
          prefix: dir,
          comment: 'Pasted location blocks, run by the WebSocket Upgrade Lab.',
          workerConnections: 1024,
          http: [`    ${includeFile(dir, PASTED_HTTP)}`, '    server {', `        listen ${address};`, `        ${includeFile(dir, PASTED_SERVER)}`, '    }'],
        }),
        [PASTED_HTTP]: `${apply(text, [...common, ...without(httpOnly)])}\n`,
        [PASTED_SERVER]: `${apply(text, [...common, ...without((s) => !httpOnly(s))])}\n`,
      };
    },
  };
}
