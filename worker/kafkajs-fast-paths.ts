import { installFetchSizeLimit, installKafkajsFastPaths } from '../lib/kafka/record-decoder';
import { fetchBytesPerPartition } from './fetch-budget';

/**
 * kafkajs as the worker runs it: the fast record decoding and the worker-wide fetch budget.
 * worker/install-kafkajs.ts calls it before anything imports kafkajs (its consumer keeps the
 * Batch class it was loaded with); the Kafka registry calls it again for a supervisor run in
 * another process (what kafkajs has loaded already stays its own).
 */
export function installWorkerKafkajs(): { batchFilter: boolean; recordBatches: boolean } {
  const installed = installKafkajsFastPaths();
  installFetchSizeLimit(fetchBytesPerPartition);
  return installed;
}

