import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { TColumnBatch } from './column-batch';
import { errorOfJob, type TIngestJob, type TJobResult } from './ingest-job';
import { prepareIngestBatch } from './map-ingest-data';

/**
 * Parsing and mapping in worker threads, so a 4 MB streaming request does not hold the event loop
 * (queries, management commands and other requests keep answering) and requests are parsed side
 * by side while DuckDB appends and commits. The work is pure (map-ingest-data.ts), so a job that
 * cannot reach a worker — small, while workers start, after a worker died — runs on the event
 * loop with the same result.
 */

/** Below this a worker round trip costs more than it saves. */
const MIN_WORKER_BYTES = 64 * 1024;
/** As many as cores: the event loop mostly waits on DuckDB, which works in its own threads. */
const WORKER_COUNT = Math.max(1, Math.min(4, os.availableParallelism()));
/** A worker not ready by then is given up on, and its jobs run inline. */
const START_TIMEOUT_MS = 30_000;

interface TPendingJob {
  job: TIngestJob;
  resolve(batch: TColumnBatch | null): void;
  reject(error: Error): void;
}

interface TPooledWorker {
  worker: Worker;
  job: TPendingJob | null;
}

function runInline(job: TIngestJob): Promise<TColumnBatch | null> {
  try {
    return Promise.resolve(prepareIngestBatch(job.format, job.data, job.plan));
  } catch (error) {
    return Promise.reject(error);
  }
}

function settle(pending: TPendingJob, result: TJobResult): void {
  if (result.ok) pending.resolve(result.batch);
  else pending.reject(errorOfJob(result.error));
}

class IngestPool {
  private readonly ready: TPooledWorker[] = [];
  private readonly queue: TPendingJob[] = [];
  private started = false;
  private starting = 0;
  /** No worker could start here (no tsx, thread limits) or every one died: every job runs inline. */
  private unavailable = false;

  run(job: TIngestJob): Promise<TColumnBatch | null> {
    if (job.data.length < MIN_WORKER_BYTES || this.unavailable) return runInline(job);
    this.start();
    // While the workers start, jobs wait for them (well under a second, once per process).
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    for (let i = 0; i < WORKER_COUNT; i++) this.spawn();
  }

  private spawn(): void {
    const worker = new Worker(new URL('./ingest-worker-bootstrap.mjs', import.meta.url), { workerData: { entry: new URL('./ingest-worker.ts', import.meta.url).href } });
    const pooled: TPooledWorker = { worker, job: null };
    let state: 'starting' | 'ready' | 'gone' = 'starting';
    this.starting++;
    const startTimer = setTimeout(() => void worker.terminate(), START_TIMEOUT_MS);
    startTimer.unref();
    worker.on('message', (message: TJobResult | 'ready') => {
      if (message === 'ready') {
        state = 'ready';
        this.starting--;
        clearTimeout(startTimer);
        this.ready.push(pooled);
        this.dispatch();
        return;
      }
      const pending = pooled.job;
      pooled.job = null;
      worker.unref();
      if (pending) settle(pending, message);
      this.dispatch();
    });
    const lost = () => {
      if (state === 'gone') return;
      if (state === 'ready') this.ready.splice(this.ready.indexOf(pooled), 1);
      else this.starting--;
      state = 'gone';
      clearTimeout(startTimer);
      // With no worker left, everything runs inline from now on: respawning one that keeps failing would only loop.
      const noneLeft = this.ready.length === 0 && this.starting === 0;
      if (noneLeft) this.unavailable = true;
      const orphans = [...(pooled.job ? [pooled.job] : []), ...(noneLeft ? this.queue.splice(0) : [])];
      pooled.job = null;
      for (const pending of orphans) runInline(pending.job).then(pending.resolve, pending.reject);
    };
    worker.once('error', lost);
    worker.once('exit', lost);
    // An idle worker must not keep the process alive, a busy one must (refs follow its job;
    // unref only after the listeners: adding a 'message' listener refs the worker again).
    worker.unref();
  }

  private dispatch(): void {
    for (const pooled of this.ready) {
      if (this.queue.length === 0) return;
      if (pooled.job) continue;
      const pending = this.queue.shift();
      if (!pending) return;
      pooled.job = pending;
      pooled.worker.ref();
      pooled.worker.postMessage(pending.job);
    }
  }
}

const pool = new IngestPool();

/** Parses a source and, with a plan, maps it (map-ingest-data.ts), in a worker thread when it is worth one. */
export function runIngestJob(job: TIngestJob & { plan: NonNullable<TIngestJob['plan']> }): Promise<TColumnBatch>;
export function runIngestJob(job: TIngestJob): Promise<TColumnBatch | null>;
export function runIngestJob(job: TIngestJob): Promise<TColumnBatch | null> {
  return pool.run(job);
}
