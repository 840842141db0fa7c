// Writes the journal's batches to the database, off the event loop that relays every tunnel:
// each batch is one transaction. Answers every batch, so the lab knows how far behind it is.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './database.ts';
import type { Batch } from './journal.ts';

const opened = openDatabase((workerData as { dataDir: string }).dataDir);
if ('error' in opened) throw new Error(opened.error);
const db = opened;
// One lab per data dir: held until this lab stops, so a second lab started on the same folder
// cannot open it, and says so (it runs ephemeral) instead of mixing two labs' sessions.
db.pragma('locking_mode = EXCLUSIVE');
db.exec('BEGIN EXCLUSIVE; COMMIT');
parentPort?.postMessage('ready');

const putSession = db.prepare('INSERT INTO sessions (id, imported, dropped, last_active) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET dropped = excluded.dropped, imported = excluded.imported, last_active = excluded.last_active');
const touch = db.prepare('UPDATE sessions SET last_active = ? WHERE id = ?');
const putConnection = db.prepare('INSERT INTO connections (session, id, meta) VALUES (?, ?, ?) ON CONFLICT (session, id) DO UPDATE SET meta = excluded.meta');
const putEvents = db.prepare('INSERT OR REPLACE INTO events (session, conn, first_seq, events) VALUES (?, ?, ?, ?)');
const forget = [db.prepare('DELETE FROM events WHERE session = ?'), db.prepare('DELETE FROM connections WHERE session = ?'), db.prepare('DELETE FROM sessions WHERE id = ?')];
const forgetConnection = [db.prepare('DELETE FROM events WHERE session = ? AND conn = ?'), db.prepare('DELETE FROM connections WHERE session = ? AND id = ?')];

const write = db.transaction((batch: Batch) => {
  const active = new Set<string>();
  for (const op of batch.ops) {
    switch (op[0]) {
      case 's':
        putSession.run(op[1], op[2], op[3], batch.at);
        break;
      case 'c':
        putConnection.run(op[1], op[2], op[3]);
        break;
      case 'e':
        putEvents.run(op[1], op[2], op[3], op[4]);
        active.add(op[1]);
        break;
      case 'x':
        for (const statement of forget) statement.run(op[1]);
        active.delete(op[1]);
        break;
      case 'y':
        for (const statement of forgetConnection) statement.run(op[1], op[2]);
        break;
    }
  }
  for (const session of active) touch.run(batch.at, session);
});

parentPort?.on('message', (batch: Batch | 'close') => {
  if (batch === 'close') {
    db.close();
    parentPort?.postMessage('closed');
    return;
  }
  write(batch);
  parentPort?.postMessage(batch.id);
});
