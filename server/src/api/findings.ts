import { Worker } from 'node:worker_threads';
import { diagnose, RULES, type LabAddress } from '../diagnose/index.ts';
import type { Connection, Finding, LabEvent } from '../transcript/types.ts';
import type { DiagnoseRequest } from './diagnose-worker.ts';

/** Connections up to this many events are diagnosed inline: it takes a few milliseconds. */
export const INLINE_EVENTS = 10_000;

/** A connection's findings, fed its events slice by slice as they are written out. */
export interface FindingsJob {
  add(events: readonly LabEvent[]): void;
  finish(): Promise<Finding[]>;
}

/**
 * Findings for transcript reads. diagnose() over a connection at the event limit (100,000)
 * takes tens of milliseconds; on the lab's one event loop that stalls every tunnel it
 * relays, so large connections go to a worker thread, fed the events (without payloads) in
 * the same slices the response is written in.
 */
export class Findings {
  /** `lab`: the lab's ports, for fixes that name them. */
  constructor(private readonly lab: () => LabAddress | undefined = () => undefined) {}

  private worker: Worker | undefined;
  private failed = false;
  private next = 0;
  /** Jobs the worker owes an answer: how to answer, and how to compute it here if the worker dies. */
  private readonly waiting = new Map<number, { resolve: (findings: Finding[]) => void; inline: () => Finding[] }>();

  job(meta: Omit<Connection, 'events'>, events: readonly LabEvent[], count: number): FindingsJob {
    const lab = this.lab();
    const inline = () => diagnose({ ...meta, events: events.slice(0, count) }, RULES, lab);
    const worker = count > INLINE_EVENTS ? this.start() : undefined;
    if (!worker) {
      return { add: () => {}, finish: async () => inline() };
    }
    const job = ++this.next;
    return {
      add: (slice) => {
        const light = slice.map((e) => (e.kind === 'frame' ? { ...e, payload: '', ...(e.inflated === undefined ? {} : { inflated: '' }) } : e));
        worker.postMessage({ job, events: light } satisfies DiagnoseRequest);
      },
      finish: () =>
        new Promise<Finding[]>((resolve) => {
          // The worker may have died since the job began: then it is done here.
          if (this.worker !== worker) return resolve(inline());
          this.waiting.set(job, { resolve, inline });
          worker.postMessage({ job, done: meta, ...(lab ? { lab } : {}) } satisfies DiagnoseRequest);
        }),
    };
  }

  close(): Promise<number> | undefined {
    const worker = this.worker;
    this.worker = undefined;
    return worker?.terminate();
  }

  private start(): Worker | undefined {
    if (this.worker || this.failed) return this.worker;
    try {
      // The lab runs its TypeScript through tsx; the worker loads its module the same way (a
      // worker's own --import hooks would come too late for its entry point).
      const entry = new URL('./diagnose-worker.ts', import.meta.url).href;
      const tsx = import.meta.resolve('tsx/esm/api');
      const worker = new Worker(`import(${JSON.stringify(tsx)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`, { eval: true });
      worker.unref();
      worker.on('message', ({ job, findings }: { job: number; findings: Finding[] }) => {
        this.waiting.get(job)?.resolve(findings);
        this.waiting.delete(job);
      });
      const fail = () => {
        // Without a worker, reads still get their findings, computed inline.
        this.failed = true;
        this.worker = undefined;
        for (const { resolve, inline } of this.waiting.values()) resolve(inline());
        this.waiting.clear();
      };
      worker.on('error', fail);
      worker.on('exit', () => this.worker === worker && fail());
      this.worker = worker;
    } catch {
      this.failed = true;
    }
    return this.worker;
  }
}
