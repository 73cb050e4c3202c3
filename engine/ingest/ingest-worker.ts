import { parentPort } from 'node:worker_threads';
import { transferablesOf } from './column-batch';
import { jobErrorOf, type TIngestJob, type TJobResult } from './ingest-job';
import { prepareIngestBatch } from './map-ingest-data';

/** An ingest worker thread (ingest-pool.ts): parses and maps one job at a time. */

const port = parentPort;
if (!port) throw new Error('ingest-worker.ts runs as a worker thread');

port.on('message', (job: TIngestJob) => {
  let result: TJobResult;
  try {
    result = { ok: true, batch: prepareIngestBatch(job.format, job.data, job.plan) };
  } catch (error) {
    result = { ok: false, error: jobErrorOf(error) };
  }
  port.postMessage(result, result.ok && result.batch ? transferablesOf(result.batch) : []);
});
port.postMessage('ready');
