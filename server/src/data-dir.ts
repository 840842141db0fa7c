import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the lab keeps what outlives a run (`--data-dir`): `$XDG_CACHE_HOME/websocket-upgrade-lab`,
 * else `~/.cache/websocket-upgrade-lab`. Nothing in it is needed to start: it is made again when gone.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(cache, 'websocket-upgrade-lab');
}
