// The reader splits a config exactly as nginx does: the safety check is only as good as its
// agreement with nginx on which words are directives. Syntax errors are checked against what
// nginx -t itself says, line and words.

import { describe, expect, it } from 'vitest';
import { findNginx, nginxVersion } from '../../src/nginx/binary.ts';
import { testNginxConfig } from '../../src/nginx/test-config.ts';
import { parseNginxConfig, walk, type Statement } from '../../src/nginx-config/parse.ts';
import { nginxForTests } from '../nginx/helpers.ts';

function statements(text: string): Statement[] {
  const parsed = parseNginxConfig(text);
  if (!parsed.ok) throw new Error(`line ${parsed.error.line}: ${parsed.error.message}`);
  return parsed.statements;
}

const words = (text: string) => [...walk(statements(text))].map(({ statement: s }) => [s.line, s.name.value, ...s.args.map((a) => a.value)]);

describe('the nginx config reader', () => {
  it('reads directives, blocks and line numbers', () => {
    expect(words('map $http_upgrade $connection_upgrade {\n    default upgrade;\n    \'\'      close;\n}\n\nlocation /ws/ {\n    proxy_pass http://app:3000;\n}\n')).toEqual([
      [1, 'map', '$http_upgrade', '$connection_upgrade'],
      [2, 'default', 'upgrade'],
      [3, '', 'close'],
      [6, 'location', '/ws/'],
      [7, 'proxy_pass', 'http://app:3000'],
    ]);
  });

  it('takes # as a comment only at the start of a word', () => {
    expect(words('set $a foo#bar; # the rest is a comment; include x;\nreturn 200 "#not a comment";')).toEqual([
      [1, 'set', '$a', 'foo#bar'],
      [2, 'return', '200', '#not a comment'],
    ]);
  });

  it('removes quotes and applies the escapes nginx applies, keeping other backslashes', () => {
    expect(words(`proxy_set_header "X-A" 'it\\'s';\nreturn 200 "a\\"b\\\\c\\td";\nset $x inc\\lude;`)).toEqual([
      [1, 'proxy_set_header', 'X-A', "it's"],
      [2, 'return', '200', 'a"b\\c\td'],
      [3, 'set', '$x', 'inc\\lude'],
    ]);
  });

  it('keeps ${name} inside a word, where nginx does not open a block', () => {
    expect(words('proxy_set_header Host "${host}:8080";\nreturn 200 a${uri}b;')).toEqual([
      [1, 'proxy_set_header', 'Host', '${host}:8080'],
      [2, 'return', '200', 'a${uri}b'],
    ]);
  });

  it('records where each word and statement is, for rewriting in place', () => {
    const text = 'location /ws/ {\n  proxy_pass "http://b/";\n}';
    const [location] = statements(text);
    const proxyPass = location!.block![0]!;
    expect(text.slice(proxyPass.args[0]!.start, proxyPass.args[0]!.end)).toBe('"http://b/"');
    expect(text.slice(proxyPass.start, proxyPass.end)).toBe('proxy_pass "http://b/";');
    expect(text.slice(location!.start, location!.end)).toBe(text);
    expect(text[location!.open!]).toBe('{');
  });

  it('refuses a word that starts with ${, which nginx versions read differently', () => {
    expect(parseNginxConfig('location ${ include /etc/passwd; }')).toEqual({ ok: false, error: { line: 1, message: expect.stringContaining('write it in quotes') } });
  });
});

// Text with a syntax error never reaches nginx in the lab; here it does, to hold the reader's words to nginx's.
const nginxPath = nginxForTests();
const SYNTAX_ERRORS = [
  'location /ws/ {\n    proxy_pass http://b:3000;\n',
  'location /ws/ {\n    proxy_pass http://b:3000\n}\n',
  'location /ws/ {\n    proxy_pass http://b:3000;\n}\n}\n',
  'location /ws/ {\n    return 200 "a"b;\n}\n',
  'location /ws/ {\n    ;\n}\n',
];

describe.skipIf(!nginxPath)("the reader's syntax errors are nginx's own", () => {
  it.each(SYNTAX_ERRORS)('%j', async (text) => {
    const found = findNginx(nginxPath);
    if (!('path' in found)) throw new Error(found.reason);
    const version = await nginxVersion(found.path);
    const tested = await testNginxConfig(found.path, version, (dir) => ({
      'nginx.conf': `events {}\nhttp {\n    server {\n        listen 127.0.0.1:1;\n        include "${dir}/pasted.conf";\n    }\n}\n`,
      'pasted.conf': text,
    }));
    const parsed = parseNginxConfig(text);
    expect(parsed.ok).toBe(false);
    expect(tested.ok).toBe(false);
    const said = tested.messages.find((m) => m.file === 'pasted.conf')!;
    expect(parsed.ok ? undefined : parsed.error).toEqual({ line: said.line, message: said.text });
  });
});
