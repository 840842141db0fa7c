import { afterAll, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NGINX_DIR_PREFIX, removeStaleNginxDirs } from '../../src/nginx/process.ts';

// A lab killed with SIGKILL runs no exit handler: its nginx folder (nginx.conf, and access.log
// with request lines that carry session ids) stayed in the temp folder forever. At startup the
// lab removes the folders whose lab is gone, and leaves those of a lab still running.

const root = mkdtempSync(join(tmpdir(), 'stale-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A pid that was a process a moment ago and is none now. */
function deadPid(): number {
  const done = spawnSync('sh', ['-c', 'echo $$']);
  return Number(done.stdout.toString().trim());
}

function folder(name: string, files: Record<string, string>, ageMs = 0): string {
  const dir = join(root, `${NGINX_DIR_PREFIX}${name}`);
  mkdirSync(dir);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  if (ageMs > 0) utimesSync(dir, new Date(Date.now() - ageMs), new Date(Date.now() - ageMs));
  return dir;
}

it('removes folders of killed labs, keeps those of running labs and ones being set up', () => {
  const killed = folder('killed', { 'lab.pid': String(deadPid()), 'nginx.pid': String(deadPid()), 'access.log': 'GET /x?lab=secret' });
  const running = folder('running', { 'lab.pid': String(process.pid) });
  const settingUp = folder('settingup', {});
  const oldOrphan = folder('old', { 'nginx.pid': String(deadPid()) }, 120_000);
  const other = join(root, 'unrelated');
  mkdirSync(other);

  expect(removeStaleNginxDirs(root).sort()).toEqual([killed, oldOrphan].sort());
  expect(existsSync(killed)).toBe(false);
  expect(existsSync(oldOrphan)).toBe(false);
  expect(existsSync(running)).toBe(true);
  expect(existsSync(settingUp)).toBe(true);
  expect(existsSync(other)).toBe(true);
});
