import { describe, expect, it } from 'vitest';
import { diffLines } from './line-diff.ts';

describe('diffLines', () => {
  it('shows the lines a fix adds to an nginx location, in place', () => {
    const before = 'location / {\n    proxy_pass http://127.0.0.1:8089;\n}\n';
    const after =
      'location / {\n    proxy_pass http://127.0.0.1:8089;\n    proxy_http_version 1.1;\n    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection "upgrade";\n}\n';
    expect(diffLines(before, after).map((l) => `${l.op}${l.text.trim()}`)).toEqual([
      ' location / {',
      ' proxy_pass http://127.0.0.1:8089;',
      '+proxy_http_version 1.1;',
      '+proxy_set_header Upgrade $http_upgrade;',
      '+proxy_set_header Connection "upgrade";',
      ' }',
    ]);
  });

  it('a changed line is its removal, then its replacement', () => {
    expect(diffLines('a\nproxy_read_timeout 2s;\nb', 'a\nproxy_read_timeout 60s;\nb').map((l) => l.op + l.text)).toEqual([
      ' a',
      '-proxy_read_timeout 2s;',
      '+proxy_read_timeout 60s;',
      ' b',
    ]);
  });
});
