// A request head read the way nginx 1.22 reads it (ngx_http_parse_request_line and
// ngx_http_parse_header_line), so the bundled proxy refuses what nginx refuses and forwards
// what nginx forwards. Every rule was measured against Debian's nginx 1.22.1; the parity test
// (server/test/nginx/parity.test.ts) holds each one.
import type { HeaderList } from '../wire/header-list.ts';
import { wireError } from '../wire/errors.ts';
import type { RequestHead } from '../wire/http-head.ts';

/** nginx's answer to a head it cannot read: 400, and the reason its error log gives. */
function bad(why: string, line: string): never {
  const shown = JSON.stringify(line.slice(0, 60)).replace(/\\u00/g, '\\x');
  throw wireError('BAD_REQUEST', `${why}: ${shown} (nginx answers 400 Bad Request)`, { status: 400 });
}

/** Lines as nginx splits them: at each LF; CRs right before it are dropped, a CR anywhere else is refused. */
function lines(head: Buffer): string[] {
  const text = head.toString('latin1');
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r+$/, '');
    if (line.includes('\r')) bad('client sent invalid header line (a CR not followed by LF)', line);
    out.push(line);
  }
  // The blank line that ended the head, and what the split leaves after it.
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

/**
 * `METHOD target HTTP/x.y`: an upper-case method, any run of spaces between the parts, no
 * NUL, and an absolute-form target without userinfo (nginx refuses `http://user@host/`).
 */
function requestLine(line: string): Pick<RequestHead, 'method' | 'target' | 'httpVersion'> {
  if (line.includes('\0')) bad('client sent invalid request', line);
  const match = /^([A-Z_-]+) +([^ ]+) +HTTP\/(\d+\.\d+) *$/.exec(line);
  if (!match) bad('client sent invalid request', line);
  const [, method, target, httpVersion] = match;
  const authority = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(target!)?.[1];
  if (authority !== undefined && authority.includes('@')) bad('client sent invalid request (userinfo in the URI)', line);
  return { method: method!, target: target!, httpVersion: httpVersion! };
}

/** A letter, digit or '-': what nginx hashes as a header name. Anything else > 0x20 makes the line "invalid" (ignored). */
function controlOrSpace(c: number): boolean {
  return c <= 0x20 || c === 0x7f;
}

/**
 * One header line: a name up to ':' (a line without ':' is a name with an empty value); a
 * control byte or space in the name, or a line starting with one (obs-fold), is refused. The
 * value starts after the spaces (SP only) following ':' and loses its trailing spaces (SP
 * only, so `foo \t` stays `foo \t`); a NUL anywhere is refused. Names nginx would ignore
 * (`X_Custom`, `X.Custom`) are kept here: the preset decides what goes upstream.
 */
function headerLine(line: string): [string, string] {
  const first = line.charCodeAt(0);
  if (controlOrSpace(first) || line[0] === ':') bad('client sent invalid header line', line);
  const colon = line.indexOf(':');
  const name = colon === -1 ? line : line.slice(0, colon);
  for (let i = 0; i < name.length; i++) if (controlOrSpace(name.charCodeAt(i))) bad('client sent invalid header line', line);
  if (colon === -1) return [name, ''];
  const value = line.slice(colon + 1);
  if (value.includes('\0')) bad('client sent invalid header line', line);
  return [name, value.replace(/^ +/, '').replace(/ +$/, '')];
}

/** The request head as nginx 1.22 reads it; throws a WireError (400) where nginx answers 400. */
export function parseRequestHeadLikeNginx(head: Buffer): RequestHead {
  const all = lines(head);
  // nginx skips empty lines before the request line.
  while (all.length > 0 && all[0] === '') all.shift();
  const [first = '', ...rest] = all;
  const request = requestLine(first);
  const headers: HeaderList = rest.map(headerLine);
  const hosts = headers.filter(([n]) => n.toLowerCase() === 'host');
  if (hosts.length > 1) bad('client sent duplicate host header', `Host: ${hosts[1]![1]}`);
  if (hosts.length === 0 && request.httpVersion === '1.1') bad('client sent HTTP/1.1 request without "Host" header', first);
  return { ...request, headers };
}
