/**
 * A pool of worker threads that prepare documents for ingest (`processFile`: load → normalise → repair → metadata →
 * chunks → report), so the CPU-bound part of ingest uses every core while the main thread embeds and writes.
 *
 * - The workers use the hunspell lexicon (`createHunspellLexicon`, loaded once per worker): use the pool only when
 *   the ingest's lexicon is that one (the CLI's and the server's), so a document comes out the same either way.
 * - Each request is one file; a worker takes the next request when it is free. Results come back as the same
 *   objects `processFile` returns (structured clone); a LoadError thrown in a worker is a LoadError here.
 * - `close()` ends the workers (idempotent); a worker that dies fails its pending requests with a message naming
 *   the file.
 */
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { LoadError, type CorpusFile } from './loaders.ts';
import type { processFile } from './pipeline.ts';
import type { PrepareRequest, PrepareResponse } from './prepare-worker.ts';

/** What `processFile` returns. */
export type PreparedFile = Awaited<ReturnType<typeof processFile>>;

/** A pool preparing files in worker threads. */
export interface PreparePool {
  readonly size: number;
  prepare(file: CorpusFile): Promise<PreparedFile>;
  close(): Promise<void>;
}

/** Default pool size: one worker per core (at least 1). */
export function defaultPrepareWorkers(): number {
  return Math.max(1, availableParallelism());
}

const workerModule = new URL('./prepare-worker.ts', import.meta.url).href;

/**
 * The worker's entry: a small ES module that registers tsx in the worker (tsx's `--import` hooks do not reach
 * worker threads) and then imports `prepare-worker.ts`.
 */
function workerEntry(): URL {
  let tsxApi: string;
  try {
    tsxApi = import.meta.resolve('tsx/esm/api');
  } catch {
    tsxApi = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  }
  const code = `import { register } from ${JSON.stringify(tsxApi)};\nregister();\nawait import(${JSON.stringify(workerModule)});\n`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/** Starts `size` workers (default: one per core). */
export function createPreparePool(size = defaultPrepareWorkers()): PreparePool {
  interface Pending {
    file: CorpusFile;
    resolve: (value: PreparedFile) => void;
    reject: (error: Error) => void;
  }
  interface Slot {
    worker: Worker;
    busy?: { id: number; pending: Pending };
  }
  const entry = workerEntry();
  const queue: Array<{ id: number; pending: Pending }> = [];
  const slots: Slot[] = [];
  let nextId = 0;
  let closed = false;

  const dispatch = () => {
    for (const slot of slots) {
      if (slot.busy || queue.length === 0) continue;
      const job = queue.shift()!;
      slot.busy = job;
      slot.worker.ref(); // keeps the process alive while a file is being prepared
      const request: PrepareRequest = { id: job.id, file: job.pending.file };
      slot.worker.postMessage(request);
    }
  };

  for (let index = 0; index < Math.max(1, size); index++) {
    const worker = new Worker(entry);
    const slot: Slot = { worker };
    worker.on('message', (response: PrepareResponse) => {
      const job = slot.busy;
      if (!job || job.id !== response.id) return;
      slot.busy = undefined;
      slot.worker.unref();
      if (response.ok) job.pending.resolve(response.result);
      else
        job.pending.reject(
          response.error.loadError ? new LoadError(response.error.file ?? job.pending.file.path, response.error.message) : new Error(response.error.message),
        );
      dispatch();
    });
    const fail = (error: Error) => {
      const job = slot.busy;
      slot.busy = undefined;
      const index = slots.indexOf(slot);
      if (index >= 0) slots.splice(index, 1);
      if (job) job.pending.reject(new Error(`${job.pending.file.path}: the prepare worker failed: ${error.message}`));
      if (slots.length === 0) for (const waiting of queue.splice(0)) waiting.pending.reject(new Error(`${waiting.pending.file.path}: no prepare worker left (${error.message})`));
      else dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!closed) fail(new Error(`exited with code ${code}`));
    });
    worker.unref(); // an idle worker does not keep the process alive
    slots.push(slot);
  }

  return {
    size: slots.length,
    prepare(file) {
      if (closed) return Promise.reject(new Error('the prepare pool is closed'));
      return new Promise<PreparedFile>((resolve, reject) => {
        queue.push({ id: nextId++, pending: { file, resolve, reject } });
        dispatch();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const waiting of queue.splice(0)) waiting.pending.reject(new Error(`${waiting.pending.file.path}: the prepare pool was closed`));
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    },
  };
}
