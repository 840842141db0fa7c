// What a pasted config may not do, class by class, with the reason and the line; and the ways
// an attacker might hide a directive from the check (quotes, comments, map blocks, escapes).

import { describe, expect, it } from 'vitest';
import type { NginxRefusalKind } from '../../src/api/types.ts';
import { parseNginxConfig } from '../../src/nginx-config/parse.ts';
import { refusals, shapeRefusals } from '../../src/nginx-config/safety.ts';

function refused(text: string) {
  const parsed = parseNginxConfig(text);
  if (!parsed.ok) throw new Error(`line ${parsed.error.line}: ${parsed.error.message}`);
  return [...shapeRefusals(parsed.statements), ...refusals(parsed.statements)].map((r) => ({ line: r.line, directive: r.directive, kind: r.kind, reason: r.reason }));
}

/** A location whose third line is `line`. */
const inLocation = (line: string) => `location /ws/ {\n    proxy_pass http://app:3000;\n    ${line}\n}`;

const CLASSES: [NginxRefusalKind, string, string, RegExp][] = [
  ['include', 'include', 'include /etc/nginx/proxy_params;', /^include reads another file from this machine.*paste that file's directives in its place\.$/],
  ['loads-code', 'load_module', 'load_module modules/ngx_http_perl_module.so;', /^load_module loads or runs code inside nginx/],
  ['loads-code', 'content_by_lua_block', 'content_by_lua_block { ngx.say("hi"); }', /runs code inside nginx \(load_module, Lua, Perl, njs/],
  ['loads-code', 'perl_set', 'perl_set $x "sub { 1 }";', /^perl_set loads or runs code/],
  ['loads-code', 'js_import', 'js_import main.js;', /^js_import loads or runs code/],
  ['main-context', 'worker_processes', 'worker_processes 4;', /belongs to nginx's main context, which the lab writes itself/],
  ['writes-logs', 'access_log', 'access_log /var/log/nginx/ws.log;', /^access_log writes to a file on this machine \(or sends to a syslog server\)/],
  ['writes-logs', 'error_log', 'error_log syslog:server=10.0.0.1 debug;', /^error_log writes to a file/],
  ['reads-files', 'root', 'root /etc;', /^root reads files from this machine's disk/],
  ['reads-files', 'alias', 'alias /home/;', /^alias reads files/],
  ['reads-files', 'ssi', 'ssi on;', /^ssi reads files/],
  ['reads-files', 'auth_basic_user_file', 'auth_basic_user_file /etc/shadow;', /^auth_basic_user_file reads files/],
  ['writes-files', 'proxy_cache_path', 'proxy_cache_path /var/cache/x keys_zone=x:1m;', /^proxy_cache_path writes files outside the lab's private folder/],
  ['writes-files', 'proxy_store', 'proxy_store /tmp/$uri;', /^proxy_store writes files/],
  ['tls-files', 'ssl_certificate', 'ssl_certificate /etc/ssl/certs/site.pem;', /^ssl_certificate reads a certificate or key file.*plain HTTP/],
  ['tls-files', 'ssl_certificate_key', 'ssl_certificate_key /etc/ssl/private/site.key;', /^ssl_certificate_key reads a certificate/],
  ['tls-files', 'proxy_ssl_trusted_certificate', 'proxy_ssl_trusted_certificate /etc/ssl/ca.pem;', /reads a certificate or key file/],
  ['tls-files', 'ssl_stapling_responder', 'ssl_stapling_responder http://ocsp.example/;', /asks a server for one \(OCSP\)/],
  ['network', 'fastcgi_pass', 'fastcgi_pass 10.0.0.5:9000;', /^fastcgi_pass reaches a server the lab does not run; only proxy_pass is pointed at the echo server/],
  ['network', 'resolver', 'resolver 8.8.8.8;', /^resolver reaches a server/],
  ['network', 'proxy_bind', 'proxy_bind 10.0.0.9;', /^proxy_bind reaches a server/],
  ['network', 'set_real_ip_from', 'set_real_ip_from lb.internal.example;', /^set_real_ip_from lb\.internal\.example names a host, which nginx looks up with DNS when it starts/],
  ['too-large', 'limit_req_zone', 'limit_req_zone $binary_remote_addr zone=one:10g rate=1r/s;', /^limit_req_zone asks for a shared memory zone over 16 MiB/],
  ['file-test', 'if', 'if (-f /etc/shadow) { return 200; }', /^if \(-f …\), -d, -e and -x ask whether a path exists on this machine/],
  ['file-test', 'if', 'if ( !-e $request_filename ) { return 404; }', /ask whether a path exists/],
  ['bad-proxy-pass', 'proxy_pass', 'proxy_pass $backend;', /^proxy_pass must name a URL/],
  ['unknown-directive', 'xyz_module_directive', 'xyz_module_directive on;', /^xyz_module_directive is not on the lab's list of directives known to stay inside its folder/],
];

describe('directives that reach past the lab are refused, with the reason and the line', () => {
  it.each(CLASSES)('%s: %s', (kind, directive, line, reason) => {
    const found = refused(inLocation(line));
    const mine = found.find((r) => r.directive === directive)!;
    expect(mine).toMatchObject({ line: 3, directive, kind });
    expect(mine.reason).toMatch(reason);
  });

  it('lets the WebSocket recipe through, maps and all, and access_log off', () => {
    expect(
      refused(
        'map $http_upgrade $connection_upgrade {\n    default upgrade;\n    \'\' close;\n}\nlocation /ws/ {\n    proxy_pass http://app:3000;\n    proxy_http_version 1.1;\n' +
          '    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection $connection_upgrade;\n    proxy_read_timeout 1h;\n    access_log off;\n    add_header X-Lab 1;\n' +
          '    set_real_ip_from 10.0.0.0/8;\n    set_real_ip_from ::1;\n    limit_req_zone $binary_remote_addr zone=one:10m rate=1r/s;\n}',
      ),
    ).toEqual([]);
  });

  it('replaces listen and removes upstream blocks instead of refusing them', () => {
    expect(refused('upstream app { server 10.0.0.5:3000; keepalive 8; }\nserver {\n    listen 443 ssl;\n    location / { proxy_pass http://app; }\n}')).toEqual([]);
  });
});

describe('a directive cannot hide from the check', () => {
  it('in quotes: nginx reads "include" as include', () => {
    expect(refused(inLocation('"include" /etc/passwd;'))).toMatchObject([{ line: 3, directive: 'include', kind: 'include' }]);
  });

  it('inside a map block, where nginx reads include too', () => {
    expect(refused('map $a $b {\n    default 1;\n    include /etc/nginx/mime.types;\n}\n' + inLocation('return 200;'))).toMatchObject([{ line: 3, kind: 'include' }]);
  });

  it('after a comment on the line before, or after another directive on the same line', () => {
    expect(refused('location /ws/ { # proxy_pass only\n    proxy_pass http://app:3000; include /etc/passwd;\n}')).toMatchObject([{ line: 2, directive: 'include' }]);
  });

  it('inside a nested upstream block, which the lab does not remove', () => {
    expect(refused('server {\n    upstream x { include /etc/passwd; }\n    location / { proxy_pass http://x; }\n}')).toMatchObject([
      { line: 2, directive: 'upstream', kind: 'unknown-directive' },
      { line: 2, directive: 'include', kind: 'include' },
    ]);
  });

  it('with a case or an escape nginx does not read as the directive: refused as unknown', () => {
    expect(refused(inLocation('INCLUDE /etc/passwd;'))).toMatchObject([{ directive: 'INCLUDE', kind: 'unknown-directive' }]);
    expect(refused(inLocation('inc\\lude /etc/passwd;'))).toMatchObject([{ directive: 'inc\\lude', kind: 'unknown-directive' }]);
  });

  it('in a block inside a map, which nginx would refuse anyway', () => {
    expect(refused('map $a $b {\n    x { include /etc/passwd; }\n}\n' + inLocation('return 200;'))).toMatchObject([{ line: 2, kind: 'shape' }]);
  });
});

describe('the shape of what is pasted', () => {
  it('one server block, or location blocks, not both, not two servers, not http { }', () => {
    expect(refused('server { location / { proxy_pass http://a; } }\nserver { location / { proxy_pass http://b; } }')).toMatchObject([{ line: 2, kind: 'shape', reason: expect.stringContaining('paste one server block; this text has 2 (lines 1, 2)') }]);
    expect(refused('server { listen 80; }\nlocation / { proxy_pass http://a; }')).toMatchObject([{ line: 2, kind: 'shape', reason: expect.stringContaining('either location blocks or one server block') }]);
    expect(refused('http {\n    server { location / { proxy_pass http://a; } }\n}')).toMatchObject([
      { line: 1, kind: 'shape', reason: expect.stringContaining('paste a location block') },
      { line: 1, directive: 'http', kind: 'main-context', reason: expect.stringContaining('paste the server block (and the maps it uses) from inside http { }') },
    ]);
  });
});
