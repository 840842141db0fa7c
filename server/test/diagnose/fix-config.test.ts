// A finding whose fix is a proxy configuration change carries the corrected `location` in
// full, made from the preset the connection used with exactly that change.
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnose/index.ts';
import { PRESETS } from '../../src/reverse-proxy/presets.ts';
import { recorded } from './load.ts';

const findingOf = (fixture: string, rule: string) => {
  const finding = diagnose(recorded(fixture)).find((f) => f.rule === rule);
  if (!finding) throw new Error(`${fixture}: no ${rule} finding`);
  return finding;
};

/** Lines the fix adds to the preset's location, and lines it takes away. */
function diff(preset: string, fixConfig: string | undefined) {
  const before = PRESETS.find((p) => p.name === preset)!.nginxLocation.split('\n');
  const after = (fixConfig ?? '').split('\n');
  return { added: after.filter((l) => !before.includes(l)), removed: before.filter((l) => !after.includes(l)) };
}

describe('fixConfig', () => {
  it('nginx-default → the documented WebSocket recipe for the same upstream', () => {
    expect(findingOf('proxy-nginx-default', 'refused-missing-upgrade').fixConfig).toBe(
      [
        'location /nginx-default/ {',
        '    proxy_pass http://127.0.0.1:8089;',
        '    proxy_http_version 1.1;',
        '    proxy_set_header Upgrade $http_upgrade;',
        '    proxy_set_header Connection "upgrade";',
        '}',
      ].join('\n'),
    );
  });

  it.each([
    ['proxy-nginx-missing-connection', 'refused-connection-not-upgrade', 'nginx-missing-connection', ['    proxy_set_header Connection "upgrade";'], []],
    ['proxy-nginx-seed', 'proxy-http10-upgrade', 'nginx-seed', ['    proxy_http_version 1.1;'], []],
    ['proxy-nginx-seed-strict', 'refused-http10-strict', 'nginx-seed', ['    proxy_http_version 1.1;'], []],
    ['proxy-nginx-forwarded', 'proxy-host-without-port', 'nginx-forwarded', ['    proxy_set_header Host $http_host;'], ['    proxy_set_header Host $host;']],
    ['proxy-nginx-forwarded-origin', 'refused-origin', 'nginx-forwarded', ['    proxy_set_header Host $http_host;'], ['    proxy_set_header Host $host;']],
    ['proxy-nginx-idle-timeout', 'proxy-idle-timeout', 'nginx-idle-timeout', ['    proxy_read_timeout 1h;'], ['    proxy_read_timeout 2s;']],
    ['proxy-hop-by-hop-nginx', 'proxy-forwarded-hop-by-hop', 'nginx-websocket', ['    proxy_set_header Proxy-Connection "";', '    proxy_set_header X-Trace "";'], []],
  ])('%s: %s changes only what it names', (fixture, rule, preset, added, removed) => {
    expect(diff(preset, findingOf(fixture, rule).fixConfig)).toEqual({ added, removed });
  });

  it('names the upstream the connection used, from what nginx sent as Host', () => {
    const connection = recorded('proxy-nginx-default');
    const moved = JSON.parse(JSON.stringify(connection).replaceAll('127.0.0.1:8089', '127.0.0.1:18089')) as typeof connection;
    expect(diagnose(moved)[0]!.fixConfig).toContain('proxy_pass http://127.0.0.1:18089;');
  });

  it('is absent when the fix is not a proxy change, or there was no proxy', () => {
    expect(findingOf('proxy-nginx-forwarded', 'proxy-x-forwarded-for-appended').fixConfig).toBeUndefined();
    expect(findingOf('refused-no-upgrade', 'refused-missing-upgrade').fixConfig).toBeUndefined();
  });
});
