// Sessions on disk (`--data-dir`): read back at start, then kept up to date by a journal the
// store reports to. Without better-sqlite3's native build, or with a folder it cannot write, the
// lab runs ephemeral and says why.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RestoredSession } from '../transcript/session-state.ts';
import { MemoryTranscriptStore, type StoreLimits } from '../transcript/store.ts';
import { DB_FILE, openDatabase } from './database.ts';
import { DiskJournal } from './journal.ts';
import { readSessions } from './restore.ts';

export { defaultDataDir } from '../data-dir.ts';

export interface Persistence {
  file: string;
  journal: DiskJournal;
  restored: RestoredSession[];
}

export function openPersistence(dataDir: string): Persistence | { error: string } {
  const file = join(dataDir, DB_FILE);
  const db = openDatabase(dataDir);
  if ('error' in db) return { error: db.error };
  let restored: RestoredSession[];
  try {
    restored = readSessions(db);
  } catch (err) {
    return { error: `${file} could not be read: ${(err as Error).message}` };
  } finally {
    db.close();
  }
  // The lab runs its TypeScript through tsx; the worker loads its module the same way (as api/findings.ts does).
  const entry = new URL('./writer-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const worker = new Worker(`import(${JSON.stringify(tsx)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`, {
    eval: true,
    workerData: { dataDir },
  });
  worker.unref();
  return { file, journal: new DiskJournal(worker, file), restored };
}

/** Where the sessions are kept, as the startup notice says it. */
export interface SessionsOnDisk {
  /** The database file, when sessions are kept on disk. */
  file?: string;
  /** Sessions read back from it at start. */
  restored: number;
  /** Why sessions are kept in memory only: `--ephemeral`, or what failed. */
  ephemeral?: string;
}

/**
 * The store every listener records into: with `dataDir`, its sessions read back from disk (their
 * connections read-only) and every change journaled there; without, in memory only.
 */
export function createStore(
  limits: Partial<StoreLimits> | undefined,
  dataDir: string | undefined,
): { store: MemoryTranscriptStore; sessions: SessionsOnDisk; ready: Promise<void>; close(): Promise<void> } {
  if (dataDir === undefined) return { store: new MemoryTranscriptStore(limits), sessions: { restored: 0, ephemeral: 'ephemeral: sessions are kept in memory only' }, ready: Promise.resolve(), close: async () => {} };
  const persistence = openPersistence(dataDir);
  if ('error' in persistence) {
    const why = `Sessions cannot be kept in ${join(dataDir, DB_FILE)} (${persistence.error}); the lab runs ephemeral. ${
      /better.sqlite3|bindings|\.node\b|NODE_MODULE_VERSION/i.test(persistence.error)
        ? 'Its native module did not build: run `npm rebuild better-sqlite3` (see README, "Sessions survive a restart").'
        : /locked|busy/i.test(persistence.error)
          ? 'Another lab is using this folder: stop it, or give this one its own --data-dir.'
          : ''
    }`.trim();
    return { store: new MemoryTranscriptStore(limits), sessions: { restored: 0, ephemeral: why }, ready: Promise.resolve(), close: async () => {} };
  }
  const store = new MemoryTranscriptStore(limits, persistence.journal);
  store.restore(persistence.restored, new Date().toISOString());
  const { journal } = persistence;
  return { store, sessions: { file: persistence.file, restored: persistence.restored.length }, ready: journal.ready, close: () => journal.close() };
}
