// The sessions' database on disk: one SQLite file, `<data-dir>/sessions.sqlite`, through
// better-sqlite3 (a native module: when it cannot load, the lab runs ephemeral and says why).
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';

export type Database = BetterSqlite3.Database;

export const DB_FILE = 'sessions.sqlite';

/** `--data-dir`'s default: `$XDG_CACHE_HOME/websocket-upgrade-lab`, else `~/.cache/websocket-upgrade-lab`. */

/** Events are kept in runs: one row per connection per batch, a V8-serialized array (schema 1: JSON; see journal.ts). */
const SCHEMA_VERSION = 2;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    imported TEXT,
    dropped TEXT NOT NULL,
    last_active INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS connections (
    session TEXT NOT NULL,
    id TEXT NOT NULL,
    meta TEXT NOT NULL,
    PRIMARY KEY (session, id)
  );
  CREATE TABLE IF NOT EXISTS events (
    session TEXT NOT NULL,
    conn TEXT NOT NULL,
    first_seq INTEGER NOT NULL,
    events BLOB NOT NULL,
    PRIMARY KEY (session, conn, first_seq)
  );
`;

/** better-sqlite3's constructor, or why it cannot load (no native build for this Node). */
export function loadDriver(): typeof BetterSqlite3 | { error: string } {
  try {
    return createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
  } catch (err) {
    return { error: ((err as Error).message.split('\n')[0] ?? String(err)).replace(/\s*Tried:$/, '') };
  }
}

/** Opens (creating) the database in `dataDir`, its folder readable by this user only. */
export function openDatabase(dataDir: string): Database | { error: string } {
  const Driver = loadDriver();
  if ('error' in Driver) return Driver;
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const db = new Driver(join(dataDir, DB_FILE), { timeout: 2000 });
    // A run of 64 KiB frames is megabytes of JSON: larger pages halve the overflow pages it takes
    // (measured: 870 MB of runs in 8.0 s with 4 KiB pages and WITHOUT ROWID, 3.0 s like this). Only
    // a new, empty database takes it.
    db.pragma('page_size = 16384');
    // WAL: the writer's batches do not block the reads at start, and a crash loses at most the last batch.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Checkpoint every ~64 MiB of log rather than 4 MiB: under a flood of captures each checkpoint's
    // copy and fsync would otherwise come several times a second.
    db.pragma('wal_autocheckpoint = 16384');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      db.close();
      return { error: `it was written by a newer version of the lab (schema ${version}; this one reads ${SCHEMA_VERSION}): use another --data-dir` };
    }
    db.exec(SCHEMA);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    return db;
  } catch (err) {
    // bindings lists every path it tried, one per line: the first line says what is wrong.
    return { error: ((err as Error).message.split('\n')[0] ?? String(err)).replace(/\s*Tried:$/, '') };
  }
}
