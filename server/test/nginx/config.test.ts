// The generated nginx.conf, the binary lookup, and starting and stopping real nginx.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findNginx, NGINX_NOT_FOUND, nginxStatus, parseNginxVersion, versionAtLeast } from '../../src/nginx/binary.ts';
import { nginxConfig } from '../../src/nginx/config.ts';
import { NginxError, startNginx } from '../../src/nginx/process.ts';
import { PRESETS } from '../../src/reverse-proxy/presets.ts';
import { nginxForTests } from './helpers.ts';

const nginxPath = nginxForTests();

describe('nginxConfig', () => {
  const conf = nginxConfig({ listenPort: 8091, upstreamPort: 8089, prefix: '/tmp/lab x/' });

  it('keeps every file nginx writes inside the prefix dir', () => {
    for (const directive of ['pid', 'lock_file', 'error_log', 'access_log', 'client_body_temp_path', 'proxy_temp_path', 'fastcgi_temp_path', 'uwsgi_temp_path', 'scgi_temp_path']) {
      expect(conf).toMatch(new RegExp(`^\\s*${directive} "/tmp/lab x/[a-z_.]+"`, 'm'));
    }
  });

  it('runs nginx in the foreground as one process on 127.0.0.1', () => {
    expect(conf).toMatch(/^daemon off;$/m);
    expect(conf).toMatch(/^master_process off;$/m);
    expect(conf).toMatch(/^worker_processes 1;$/m);
    expect(conf).toMatch(/^\s+listen 127\.0\.0\.1:8091;$/m);
  });

  it('has every preset as a location proxying to the echo server, and each map once', () => {
    for (const preset of PRESETS) expect(conf).toContain(`location /${preset.name}/ {`);
    expect(conf.match(/proxy_pass http:\/\/127\.0\.0\.1:8089;/g)).toHaveLength(PRESETS.length);
    expect(conf.match(/map \$http_upgrade \$connection_upgrade/g)).toHaveLength(1);
  });

  it.skipIf(nginxPath === undefined)('passes nginx -t', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-lab-nginx-test-'));
    try {
      writeFileSync(join(dir, 'nginx.conf'), nginxConfig({ listenPort: 1, upstreamPort: 8089, prefix: dir }));
      const out = execFileSync(nginxPath!, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { encoding: 'utf8', stdio: 'pipe' });
      expect(out).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('finding nginx', () => {
  it('parses nginx -v', () => {
    expect(parseNginxVersion('nginx version: nginx/1.22.1\n')).toBe('1.22.1');
    expect(parseNginxVersion('nginx version: openresty/1.21.4.1\n')).toBe('1.21.4');
    expect(parseNginxVersion('bash: nginx: command not found')).toBeUndefined();
    expect(versionAtLeast('1.22.1', '1.19.5')).toBe(true);
    expect(versionAtLeast('1.18.0', '1.19.5')).toBe(false);
  });

  it('says what to do when nginx is missing', async () => {
    expect(findNginx(undefined, { PATH: '/nonexistent' }, [])).toEqual({ reason: NGINX_NOT_FOUND });
    expect(NGINX_NOT_FOUND).toBe("nginx not found on PATH; install Debian's nginx-light or pass --nginx /path/to/nginx");
    expect(await nginxStatus('/nonexistent/nginx')).toEqual({
      available: false,
      reason: 'nginx not found at /nonexistent/nginx (--nginx): no executable file there',
    });
    await expect(startNginx({ nginxPath: '/nonexistent/nginx', listenPort: 0, upstreamPort: 1 })).rejects.toMatchObject({ code: 'NGINX_NOT_FOUND' });
  });
});

describe.skipIf(nginxPath === undefined)('startNginx', () => {
  it('reports the version, listens, and leaves nothing behind when stopped', async () => {
    expect(await nginxStatus(nginxPath)).toMatchObject({ available: true, version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
    const nginx = await startNginx({ nginxPath, listenPort: 0, upstreamPort: 1 });
    expect(nginx.port).toBeGreaterThan(0);
    expect(() => process.kill(nginx.pid, 0)).not.toThrow();
    await nginx.stop();
    expect(await nginx.exited).toBeDefined();
    expect(existsSync(nginx.dir)).toBe(false);
    await nginx.stop();
  });

  it("fails with nginx's own words when the port is taken", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const error = await startNginx({ nginxPath, listenPort: port, upstreamPort: 1 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NginxError);
      expect((error as NginxError).code).toBe('NGINX_START_FAILED');
      expect((error as NginxError).message).toMatch(new RegExp(`before listening on 127\\.0\\.0\\.1:${port}.*Address already in use`, 's'));
    } finally {
      blocker.close();
    }
  });
});
