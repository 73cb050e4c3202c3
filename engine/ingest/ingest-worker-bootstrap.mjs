// A worker thread does not inherit its parent's TypeScript loader (tsx, or vitest in tests), so
// it registers tsx itself before loading the ingest worker (ingest-pool.ts).
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.entry, import.meta.url);
