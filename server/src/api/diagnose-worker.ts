// diagnose() for a large connection, off the event loop that relays every tunnel: the API
// streams a connection's events here in slices while it writes them out, then asks for the
// findings. Payloads are left out: no rule reads them.
import { parentPort } from 'node:worker_threads';
import { diagnose, RULES, type LabAddress } from '../diagnose/index.ts';
import type { Connection, Finding, LabEvent } from '../transcript/types.ts';

export type DiagnoseRequest =
  | { job: number; events: LabEvent[] }
  | { job: number; done: Omit<Connection, 'events'>; lab?: LabAddress };

const jobs = new Map<number, LabEvent[]>();

parentPort?.on('message', (message: DiagnoseRequest) => {
  if ('events' in message) {
    const events = jobs.get(message.job) ?? [];
    for (const event of message.events) events.push(event);
    jobs.set(message.job, events);
    return;
  }
  const events = jobs.get(message.job) ?? [];
  jobs.delete(message.job);
  let findings: Finding[];
  try {
    findings = diagnose({ ...message.done, events }, RULES, message.lab);
  } catch {
    findings = [];
  }
  parentPort?.postMessage({ job: message.job, findings });
});
