// Folders of lab nginx processes whose lab was killed (SIGKILL runs no exit handler), removed
// the next time a lab starts.
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where each nginx the lab starts keeps its config, logs (request lines with session ids) and temp files. */
export const NGINX_DIR_PREFIX = 'ws-lab-nginx-';
/** The lab process that owns a folder, written before nginx starts. */
export const OWNER_FILE = 'lab.pid';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isNginx(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('nginx');
  } catch {
    return false;
  }
}

function pidIn(path: string): number | undefined {
  try {
    const n = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Removes the folders of lab nginx processes whose lab is gone (killed with SIGKILL, so no
 * exit handler ran): their access.log holds request lines with session ids. A folder whose
 * owner still runs (another lab on this machine) is left alone. Returns the removed paths.
 */
export function removeStaleNginxDirs(root = tmpdir()): string[] {
  const removed: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(root).filter((name) => name.startsWith(NGINX_DIR_PREFIX));
  } catch {
    return removed;
  }
  for (const name of entries) {
    const dir = join(root, name);
    try {
      const owner = pidIn(join(dir, OWNER_FILE));
      const nginxPid = pidIn(join(dir, 'nginx.pid'));
      // Without an owner file, a folder is stale only once its nginx is gone and it is not being set up right now.
      const stale = owner !== undefined ? !alive(owner) : (nginxPid === undefined || !alive(nginxPid)) && Date.now() - statSync(dir).mtimeMs > 60_000;
      if (!stale) continue;
      // An nginx that outlived its lab (no parent-death signal on this system) goes too, if it is one.
      if (nginxPid !== undefined && alive(nginxPid) && isNginx(nginxPid)) process.kill(nginxPid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // A folder another user owns, or one removed meanwhile: not ours to clean.
    }
  }
  return removed;
}
