// What a pasted config may not do: read or write outside the lab's private folder, load
// code, or reach a server other than the one the lab points proxy_pass at. Every statement at
// every depth is checked against nginx's own reading of the text (parse.ts), so a directive
// cannot hide in a comment or a quote; what is not known to be safe is refused.

import type { NginxRefusal, NginxRefusalKind } from '../api/types.ts';
import { ALLOWED_DIRECTIVES, MAIN_CONTEXT, VALUE_BLOCKS } from './directives.ts';
import type { Statement } from './parse.ts';

const REASONS: Record<NginxRefusalKind, (name: string) => string> = {
  include: (n) => `${n} reads another file from this machine, and the lab runs only the text you paste: paste that file's directives in its place.`,
  'loads-code': (n) => `${n} loads or runs code inside nginx (load_module, Lua, Perl, njs and the like); the lab runs only nginx's own directives.`,
  'main-context': (n) => `${n} belongs to nginx's main context, which the lab writes itself: paste the server block (and the maps it uses) from inside http { }.`,
  'writes-logs': (n) => `${n} writes to a file on this machine (or sends to a syslog server); the lab keeps nginx's logs in its private folder. Remove it (access_log off; is fine).`,
  'reads-files': (n) => `${n} reads files from this machine's disk; the lab only proxies. Remove it.`,
  'writes-files': (n) => `${n} writes files outside the lab's private folder. Remove it.`,
  'tls-files': (n) =>
    `${n} reads a certificate or key file, or asks a server for one (OCSP); the lab runs your config over plain HTTP with its own listen. Remove the ssl_* lines that name files or servers.`,
  network: (n) => `${n} reaches a server the lab does not run; only proxy_pass is pointed at the echo server (or your --upstream), so only proxy_pass may name one.`,
  'file-test': () => 'if (-f …), -d, -e and -x ask whether a path exists on this machine. Remove the test.',
  'bad-proxy-pass': () => 'proxy_pass must name a URL (http://host:port, or with variables in it) so the lab can point it at the echo server.',
  'too-large': (n) => `${n} asks for a shared memory zone over ${MAX_ZONE_BYTES / 1024 / 1024} MiB, which nginx sets aside when it starts; the lab keeps its nginx small. Use a smaller size.`,
  'unknown-directive': (n) =>
    `${n} is not on the lab's list of directives known to stay inside its folder (those of nginx's http modules that act on the request in memory). Remove it to run the rest.`,
  shape: () => 'the lab runs one server block, or location blocks, with the maps they use.',
};

function refusal(statement: Statement, kind: NginxRefusalKind, reason?: string): NginxRefusal {
  return { line: statement.line, directive: statement.name.value, kind, reason: reason ?? REASONS[kind](statement.name.value) };
}

/** The largest shared memory zone a pasted config may ask for (limit_req_zone zone=name:size, and the like). */
export const MAX_ZONE_BYTES = 16 * 1024 * 1024;
const ZONE_SIZED = new Set(['limit_req_zone', 'limit_conn_zone', 'ssl_session_cache']);
const UNIT: Record<string, number> = { '': 1, k: 1024, m: 1024 * 1024, g: 1024 * 1024 * 1024 };

function zoneBytes(arg: string): number {
  const match = /:(\d+)([kmg]?)$/i.exec(arg);
  return match ? Number(match[1]) * UNIT[match[2]!.toLowerCase()]! : 0;
}

/** An address nginx takes as it is: IPv4 or IPv6, with an optional prefix length, or unix:. Anything else is a name it resolves with DNS. */
const ADDRESS = /^(unix:|[0-9.]+(\/\d+)?$|[0-9a-f:]*:[0-9a-f:.]*(\/\d+)?$)/i;

/** Directives with file paths behind the `ssl_` prefix, and those that ask an OCSP server. */
const TLS_FILES = /^(proxy_|grpc_|uwsgi_)?ssl(_|$)/;

function classify(statement: Statement): NginxRefusalKind | undefined {
  const name = statement.name.value;
  if (name === 'include') return 'include';
  if (name === 'load_module' || /lua/i.test(name) || /^(perl|js_|njs|xslt_|wasm|passenger|mruby|image_filter)/.test(name)) return 'loads-code';
  if (MAIN_CONTEXT.has(name)) return 'main-context';
  if (name.endsWith('_log') && name !== 'rewrite_log') return name === 'access_log' && statement.args[0]?.value === 'off' && statement.args.length === 1 ? undefined : 'writes-logs';
  if (name === 'root' || name === 'alias' || name === 'auth_basic_user_file' || name.startsWith('geoip_') || name === 'gzip_static' || name === 'random_index' || name === 'flv' || name === 'mp4' || name === 'ssi' || name === 'ssi_types') return 'reads-files';
  if (/_(temp_path|cache_path|store)$/.test(name) || name.startsWith('dav_') || name === 'create_full_put_path' || name === 'client_body_in_file_only') return 'writes-files';
  if (TLS_FILES.test(name) && !ALLOWED_DIRECTIVES.has(name)) return 'tls-files';
  if ((name.endsWith('_pass') && name !== 'proxy_pass') || name === 'resolver' || name.endsWith('_bind') || name === 'upstream_conf') return 'network';
  if (name === 'set_real_ip_from' && !ADDRESS.test(statement.args[0]?.value ?? '')) return 'network';
  if (ZONE_SIZED.has(name) && statement.args.some((a) => zoneBytes(a.value) > MAX_ZONE_BYTES)) return 'too-large';
  if (name === 'if' && statement.args.some((a) => /^\(?!?-[fdex]$/.test(a.value))) return 'file-test';
  if (name === 'proxy_pass' && !/^[^\s:/]*:\/\//.test(statement.args[0]?.value ?? '')) return 'bad-proxy-pass';
  if (name === 'listen') return undefined; // replaced by the lab's own (prepare.ts)
  return ALLOWED_DIRECTIVES.has(name) ? undefined : 'unknown-directive';
}

/** Every statement that may not run, with the reason and the line. */
export function refusals(statements: readonly Statement[]): NginxRefusal[] {
  const out: NginxRefusal[] = [];
  const visit = (list: readonly Statement[], inValueBlock: string | undefined, depth: number) => {
    for (const statement of list) {
      if (inValueBlock !== undefined) {
        // A map's entries are values; nginx reads `include` there too, and allows no block.
        if (statement.name.value === 'include') out.push(refusal(statement, 'include'));
        else if (statement.block) out.push(refusal(statement, 'shape', `a block inside ${inValueBlock} { } is not something nginx reads.`));
        continue;
      }
      // The lab removes top-level upstream blocks whole (proxy_pass no longer names them): their servers never reach nginx.
      if (depth === 0 && statement.name.value === 'upstream' && statement.block) continue;
      const kind = classify(statement);
      if (kind === 'network' && statement.name.value === 'set_real_ip_from') {
        out.push(refusal(statement, kind, `set_real_ip_from ${statement.args[0]?.value ?? ''} names a host, which nginx looks up with DNS when it starts; give an address or a network (10.0.0.0/8).`));
      } else if (kind !== undefined) out.push(refusal(statement, kind));
      if (statement.block) visit(statement.block, VALUE_BLOCKS.has(statement.name.value) ? statement.name.value : undefined, depth + 1);
    }
  };
  visit(statements, undefined, 0);
  return out;
}

/** The pasted text's outline: one server block, or location blocks, beside http-level blocks; else why not. */
export function shapeRefusals(statements: readonly Statement[]): NginxRefusal[] {
  const servers = statements.filter((s) => s.name.value === 'server' && s.block);
  const locations = statements.filter((s) => s.name.value === 'location' && s.block);
  const out: NginxRefusal[] = [];
  if (servers.length > 1) {
    for (const extra of servers.slice(1)) out.push(refusal(extra, 'shape', `paste one server block; this text has ${servers.length} (lines ${servers.map((s) => s.line).join(', ')}).`));
  }
  if (servers.length > 0 && locations.length > 0) {
    for (const location of locations) out.push(refusal(location, 'shape', 'paste either location blocks or one server block with its locations inside, not both side by side.'));
  }
  if (servers.length === 0 && locations.length === 0 && out.length === 0) {
    const first = statements[0];
    const line = first?.line ?? 1;
    out.push({ line, directive: first?.name.value ?? '', kind: 'shape', reason: 'paste a location block (location /ws/ { … }) or a server block (server { … }), with any map blocks they use.' });
  }
  return out;
}
