import { WORKER_LIVENESS_MS } from '../connectors/aggregate-state';

export interface WorkerShareView {
  connectorId: string;
  connectorName: string;
  state: string;
  revision: number;
  partitions: { topic: string; partition: number }[];
  lastError: string | null;
  updatedAt: string;
}

export interface WorkerView {
  id: string;
  hostname: string;
  pid: number;
  startedAt: string;
  heartbeatAt: string;
  /** Heartbeat within the liveness window; silent workers' shares no longer count. */
  live: boolean;
  shares: WorkerShareView[];
}

export function isWorkerLive(heartbeatAt: string | Date, now: number): boolean {
  return now - new Date(heartbeatAt).getTime() <= WORKER_LIVENESS_MS;
}
