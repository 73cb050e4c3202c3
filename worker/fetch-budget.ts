/**
 * Bytes a fetch brings per partition, shared by every consumer of this worker. kafkajs makes an
 * object of every record it decodes, and they live until the batch is handled, so what a worker
 * holds grows with the partitions it fetches at once; and kafkajs fetches again only once a fetch
 * is handled, so small fetches are more round trips. One connector of 4 partitions gets kafkajs's
 * default of 1 MB per partition; 10 connectors of 4 partitions get 100 KB each. Measured with
 * `npm run bench` (1M events) against a fixed 256 KB: one connector into the null sink 337k–374k
 * against 293k–329k events/s; 10 connectors 372–430 MB peak RSS against 452–496 MB at about the
 * same rate. Read by kafkajs at every fetch (see installFetchSizeLimit).
 *
 * No kafkajs import here: worker/kafkajs-fast-paths.ts uses it before kafkajs is loaded.
 */
export const FETCH_BUDGET_BYTES = 4 * 1024 * 1024;
export const MAX_FETCH_BYTES_PER_PARTITION = 1024 * 1024;
export const MIN_FETCH_BYTES_PER_PARTITION = 64 * 1024;

const assigned = new Map<object, number>();

/** A consumer's assigned partitions (0 once it stops), counted against the budget. */
export function setAssignedPartitions(consumer: object, partitions: number): void {
  if (partitions > 0) assigned.set(consumer, partitions);
  else assigned.delete(consumer);
}

/** The budget over every partition assigned in this worker, within [64 KB, 1 MB]. */
export function fetchBytesPerPartition(): number {
  let partitions = 0;
  for (const count of assigned.values()) partitions += count;
  const share = Math.floor(FETCH_BUDGET_BYTES / Math.max(1, partitions));
  return Math.max(MIN_FETCH_BYTES_PER_PARTITION, Math.min(MAX_FETCH_BYTES_PER_PARTITION, share));
}
