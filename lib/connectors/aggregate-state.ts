/** A worker's report of its share of a connector (the ConnectorAssignment row). */
export interface WorkerShare {
  workerId: string;
  state: 'PENDING' | 'STARTING' | 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED';
  lastError: string | null;
}

export interface AggregateState {
  actualState: WorkerShare['state'];
  /** Why, when a worker failed: "worker w-2: …"; null when none did. */
  lastError: string | null;
}

/** A worker whose heartbeat is older than this is gone: its share no longer counts. */
export const WORKER_LIVENESS_MS = 15_000;

/**
 * A connector's state from its live workers' shares. Running anywhere is running (Kafka moves a
 * failed worker's partitions to the others); failed only when every live worker failed; a
 * paused or stopped connector is so once no worker runs it any more.
 */
export function aggregateConnectorState(desired: 'RUNNING' | 'PAUSED' | 'STOPPED' | 'DELETED', shares: WorkerShare[]): AggregateState {
  const failed = shares.filter((share) => share.state === 'FAILED' && share.lastError);
  const lastError = failed.length === 0 ? null : failed.map((share) => (shares.length > 1 ? `worker ${share.workerId}: ${share.lastError}` : share.lastError)).join('\n');
  const has = (state: WorkerShare['state']) => shares.some((share) => share.state === state);
  if (desired === 'PAUSED' || desired === 'STOPPED') {
    return { actualState: has('RUNNING') ? 'RUNNING' : desired, lastError: null };
  }
  if (has('RUNNING')) return { actualState: 'RUNNING', lastError };
  if (has('STARTING')) return { actualState: 'STARTING', lastError };
  if (failed.length > 0 || has('FAILED')) return { actualState: 'FAILED', lastError };
  return { actualState: 'PENDING', lastError: null };
}
