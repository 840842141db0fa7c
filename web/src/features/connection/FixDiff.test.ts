import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { FixDiff } from './FixDiff.tsx';

const preset = {
  name: 'nginx-default',
  description: 'proxy_pass alone',
  nginxConfig: 'location /nginx-default/ {\n    proxy_pass http://127.0.0.1:8089;\n}\n',
};
const fixed = 'location /nginx-default/ {\n    proxy_pass http://127.0.0.1:8089;\n    proxy_http_version 1.1;\n    proxy_set_header Upgrade $http_upgrade;\n}\n';

describe('FixDiff', () => {
  it("shows a finding's corrected location as a diff against the config the connection used, with copies", () => {
    const html = renderToStaticMarkup(createElement(FixDiff, { fixConfig: fixed, preset }));
    expect(html).toContain('aria-label="Fix: diff against the nginx-default configuration"');
    const added = [...html.matchAll(/class="diff-line diff-added">.*?<\/span> (.*?)\n/g)].map((m) => m[1]);
    expect(added).toEqual(['    proxy_http_version 1.1;', '    proxy_set_header Upgrade $http_upgrade;']);
    expect(html).not.toContain('diff-removed');
    expect(html).toContain('Copy the fix');
    expect(html).toContain('Copy diff');
  });

  it('without a known preset, shows the corrected location as it is', () => {
    const html = renderToStaticMarkup(createElement(FixDiff, { fixConfig: fixed, preset: undefined }));
    expect(html).toContain('aria-label="Fix: the corrected nginx location"');
    expect(html).toContain('proxy_http_version 1.1;');
    expect(html).not.toContain('diff-line');
  });
});
