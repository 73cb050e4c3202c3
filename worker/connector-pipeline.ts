import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import { consumerGroupId, definitionUsesKafkaMetadata, targetFor, type TConnectorDefinition } from '../lib/connectors/connector-definition';
import { abortableDelay } from './abortable-delay';
import { RejectedBatchError, type BatchOrigin, type KustoSink, type WriteReceipt } from './kusto-sink';
import { observeBatchWrite } from './prometheus-metrics';
import { readPartitionMessages } from '../lib/kafka/read-partition-messages';
import { firstLine, linesOf, PartitionBatcher, partitionKey, type BufferedBatch, type Lines } from './partition-batcher';
import type { PartitionClaim, PartitionFence, RecordedRange } from './partition-fence';
import { previewOf, type PipelineEventSink } from './pipeline-events';
import { ConversionChecker } from './conversion-check';
import { isBrokerUnavailable } from '../lib/kafka/broker-error';
import { MAX_FETCH_BYTES_PER_PARTITION, setAssignedPartitions } from './fetch-budget';
import type { RecordDecoder, RecordMetadata } from './record-decoder';
import type { ReplayWatermarks, Watermarks } from './replay-watermarks';

export interface PipelineDeps {
  connectorId: string;
  definition: TConnectorDefinition;
  kafka: Kafka;
  /** The sink of the table a topic's records land in (the connector's routes). */
  sinkFor: (topic: string) => KustoSink;
  /** The connector's format: a record value → one JSON line. */
  decode: RecordDecoder;
  events: PipelineEventSink;
  /** Records a queued blob so its outcome can be followed; called before the batch's offsets are committed. */
  recordQueued: (origin: BatchOrigin, rows: number, receipt: Extract<WriteReceipt, { path: 'queued' | 'managed-fallback' }>) => Promise<void>;
  /** The partitions Kafka assigned this member, after every rebalance. */
  onAssigned: (partitions: { topic: string; partition: number }[]) => void;
  /** Exactly-once: the partition fence and where a partition's new owner resumes. */
  exactlyOnce: ExactlyOnceDeps | null;
  /** How far each partition was sent and written, so at-least-once replays are counted. */
  watermarks: ReplayWatermarks;
  /** Records an operator chose to skip after the connector failed on them (`topic/partition@offset`). */
  skipRecords: ReadonlySet<string>;
  /** Where the pipeline says what it is retrying; the supervisor's log. */
  log: (message: string) => void;
  /** Called once when the pipeline cannot go on, with the record to blame if there is one; the supervisor then stops it. */
  /** `retry`: the cause is passing (Kafka out of reach), so the run may start again; else it stays failed until changed or restarted. */
  onFailed: (message: string, record: FailedRecord | null, retry: boolean) => void;
}

export type ExactlyOnceDeps = { fence: PartitionFence } & (
  | {
      mode: 'streaming';
      highestOffsetInTarget: (topic: string, partition: number) => Promise<number | null>;
    }
  | {
      mode: 'queued';
      /** Ranges recorded for the partition whose last offset is at or after `fromOffset`. */
      recordedRanges: (topic: string, partition: number, fromOffset: number) => Promise<RecordedRange[]>;
      /** Records a blob's range before it is sent (a no-op for a range already recorded). */
      recordRange: (origin: BatchOrigin, rows: number, sourceId: string, blobName: string, rawBytes: number) => Promise<void>;
      /** Removes a range recorded for a blob the target refused outright: nothing of it was queued. */
      forgetRange: (sourceId: string) => Promise<void>;
    }
);

/** One batch being written and one closed behind it, per partition. */
const MAX_BATCHES_IN_FLIGHT = 2;
/**
 * Bytes of closed batches waiting or being written, across every pipeline of this process: with
 * many connectors at full load, a partition waits for its own writes before memory grows past it.
 */
const IN_FLIGHT_BUDGET_BYTES = 32 * 1024 * 1024;
let inFlightBytes = 0;

/** Below the consumer's 3 s heartbeat interval, so kafkajs sends one whenever one is due. */
const HEARTBEAT_WHILE_BUSY_MS = 1_000;

/** Records a batch may lose to the error policy before the rejection is taken as the target's, not the records'. */
const MAX_REJECTED_PER_BATCH = 10;

/** The headers a dead-lettered record carries: why, and where it came from. */
function dlqHeaders(reason: string, topic: string, partition: number, offset: number, connectorId: string): Record<string, string> {
  return {
    'kastor.error.reason': reason,
    'kastor.source.topic': topic,
    'kastor.source.partition': String(partition),
    'kastor.source.offset': String(offset),
    'kastor.connector.id': connectorId,
  };
}

/** A batch of a partition this pipeline no longer owns: dropped, never committed; the new owner writes it. */
export class PartitionRevokedError extends Error {
  constructor(origin: BatchOrigin) {
    super(`${origin.topic}/${origin.partition} was taken over by another member; offsets ${origin.firstOffset}–${origin.lastOffset} are left to it`);
    this.name = 'PartitionRevokedError';
  }
}

type KafkaMessage = EachBatchPayload['batch']['messages'][number];

function metadataOf(topic: string, partition: number, message: KafkaMessage): RecordMetadata {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (last !== undefined) headers[name] = last.toString('utf8');
  }
  return { topic, partition, offset: Number(message.offset), timestampMs: Number(message.timestamp), key: message.key ?? null, headers };
}

export interface FailedRecord {
  topic: string;
  partition: number;
  offset: number;
}

/** How a record is named in skip lists and messages: `topic/partition@offset`. */
export function recordKey(topic: string, partition: number, offset: number): string {
  return `${topic}/${partition}@${offset}`;
}

type State = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * One connector on one worker: consumer group → decode → batch per partition → write → commit.
 * Offsets are committed only after the target accepted the batch that covers them.
 */
export class ConnectorPipeline {
  private state: State = 'idle';
  private consumer: Consumer | null = null;
  private dlqProducer: Producer | null = null;
  private readonly batcher: PartitionBatcher;
  /** Exactly-once: this generation's claim of each partition. */
  private readonly claims = new Map<string, Promise<PartitionClaim>>();
  /** Exactly-once: the claim each closed batch belongs to. */
  private readonly batchClaims = new WeakMap<BufferedBatch, Promise<PartitionClaim> | undefined>();
  /** The consumer group generation a closed batch was read in; a later generation reads it again. */
  private generation = 0;
  private readonly batchGenerations = new WeakMap<BufferedBatch, number>();
  /** At-least-once: the highest offset of each partition already written before this generation. */
  private readonly replays = new Map<string, Watermarks>();
  /** Columns are mapped from `$.__kafka`, so each record carries its coordinates. */
  private readonly withMetadata: boolean;
  /** Counts values that will land as null because they do not fit their column. */
  private readonly conversions: ConversionChecker;
  private readonly abort = new AbortController();
  /** Per-partition chains so a partition's writes and commits happen in offset order. */
  private readonly flushChains = new Map<string, Promise<void>>();
  /** Per partition, the writes queued or running, oldest first. */
  private readonly pendingWrites = new Map<string, Promise<void>[]>();
  private ageTimer: NodeJS.Timeout | null = null;
  private failed = false;
  private stopPromise: Promise<void> | null = null;

  constructor(private readonly deps: PipelineDeps) {
    this.batcher = new PartitionBatcher(deps.definition.flush);
    this.withMetadata = definitionUsesKafkaMetadata(deps.definition);
    this.conversions = new ConversionChecker(deps.connectorId, deps.definition, deps.events);
    // Every partition's write or retry waits on this signal at once.
    setMaxListeners(0, this.abort.signal);
  }

  get hasFailed(): boolean {
    return this.failed;
  }

  async start(): Promise<void> {
    if (this.state !== 'idle') throw new Error(`Pipeline cannot start from state ${this.state}`);
    this.state = 'starting';
    const { kafka, definition, connectorId } = this.deps;
    if (definition.errorPolicy.onDecodeError === 'dlq') {
      this.dlqProducer = kafka.producer({ allowAutoTopicCreation: false });
      await this.dlqProducer.connect();
    }
    const consumer = kafka.consumer({
      groupId: consumerGroupId(connectorId),
      allowAutoTopicCreation: false,
      sessionTimeout: 15_000,
      heartbeatInterval: 3_000,
      maxWaitTimeInMs: 250,
      // The most; the worker's fetch budget shares less among its partitions (worker/fetch-budget.ts).
      maxBytesPerPartition: MAX_FETCH_BYTES_PER_PARTITION,
    });
    this.consumer = consumer;
    // This member is about to rejoin the group: a batch closed and not yet being written is left
    // for the next generation, as at GROUP_JOIN (which comes only once the group has synced),
    // and is not started in between. A partition's next owner reads its replay marks after the
    // sync, which waits for this member's rejoin, so every write it could count is marked before
    // it looks; a write started between the two would land rows it counts neither as duplicates
    // nor as possible ones (seen once in 10 kill trials of the full fault suite).
    consumer.on(consumer.events.REBALANCING, () => {
      this.generation += 1;
    });
    // kafkajs re-reads from the committed offsets after every rebalance, so anything buffered
    // but not yet committed would arrive twice: drop it.
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      this.generation += 1;
      this.batcher.clear();
      // A new generation: every partition is claimed again (exactly-once) and its replay range re-read.
      this.claims.clear();
      this.replays.clear();
      const assignment: Record<string, number[]> = event.payload.memberAssignment;
      setAssignedPartitions(this, Object.values(assignment).reduce((sum, partitions) => sum + partitions.length, 0));
      this.deps.onAssigned(Object.entries(assignment).flatMap(([topic, partitions]) => partitions.map((partition) => ({ topic, partition }))));
    });
    // kafkajs restarts a consumer after retriable errors on its own; a crash it will not restart
    // from must fail the connector, or it would show as running while nothing is consumed.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      // Kafka out of reach for longer than kafkajs retries (a broker restart) is tried again on the
      // supervisor's next pass; a refusal (credentials, authorisation) stays failed.
      if (!payload.restart && this.state === 'running') this.fail(`The Kafka consumer stopped: ${payload.error.message}`, null, { retry: isBrokerUnavailable(payload.error) });
    });
    await consumer.connect();
    // kafkajs matches a pattern against the topics that exist when it subscribes; a topic created
    // later joins at the pipeline's next start (a restart or a new revision).
    const pattern = definition.source.topicPattern ? [new RegExp(`^(?:${definition.source.topicPattern})$`)] : [];
    await consumer.subscribe({ topics: [...definition.source.topics, ...pattern], fromBeginning: definition.source.startFrom === 'earliest' });
    this.state = 'running';
    const tick = Math.max(50, Math.min(500, Math.floor(definition.flush.maxAgeMs / 4)));
    this.ageTimer = setInterval(() => {
      for (const key of this.batcher.keysDue()) void this.flush(key).catch(() => undefined);
      this.conversions.tick();
    }, tick);
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 4,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    // A write and its retries (a throttling target) can outlast the 15 s session timeout: the
    // membership is kept alive while this batch waits, instead of once per record.
    const keepAlive = setInterval(() => void payload.heartbeat().catch(() => undefined), HEARTBEAT_WHILE_BUSY_MS);
    try {
      await this.consumeBatch(payload);
    } finally {
      clearInterval(keepAlive);
    }
    await payload.heartbeat().catch(() => undefined);
  }

  private async consumeBatch({ batch, resolveOffset, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const key = partitionKey(topic, partition);
    if (batch.messages.length === 0) return;
    const claim = this.deps.exactlyOnce ? await this.claimFor(topic, partition, Number(batch.messages[0].offset)) : null;
    if (!claim) await this.replayFor(topic, partition);
    let seen = 0;
    let lastSeen = -1;
    // kafkajs parses every offset it is given: the last record handled is resolved once, on the
    // way out (a rebalance, a stop, or the end of the batch), not each record as it is handled.
    let resolved: string | null = null;
    try {
      // Indexed, not for…of: across the awaits below an iterator would be an object per record.
      const { messages } = batch;
      for (let index = 0; index < messages.length; index++) {
        const message = messages[index];
        if (this.failed || this.state !== 'running' || !isRunning()) return;
        // isStale() builds a key per call; a rebalance is noticed within 64 records all the same.
        if ((seen++ & 63) === 0 && isStale()) return;
        const offset = Number(message.offset);
        lastSeen = offset;
        if (claim && claim.ranges.length + (this.batcher.pinnedTo(key) === null ? 0 : 1) > 0) {
          if ((await this.followRecordedRanges(key, topic, partition, offset, claim.ranges)) === 'landed') {
            resolved = message.offset;
            continue;
          }
        }
        if (this.deps.skipRecords.size > 0 && this.deps.skipRecords.has(recordKey(topic, partition, offset))) {
          this.skipByOperator(topic, partition, offset, message.value);
          resolved = message.offset;
          continue;
        }
        if (claim && offset < claim.resumeFrom) {
          // Already in the target (written before a crash or by the partition's previous owner).
          this.batcher.skip(topic, partition, offset);
          resolved = message.offset;
          continue;
        }
        const decoding = this.deps.decode(message.value, this.withMetadata ? metadataOf(topic, partition, message) : undefined, this.abort.signal);
        const decoded = decoding instanceof Promise ? await decoding.catch((error: Error) => ({ ok: false as const, reason: error.message, stopped: this.abort.signal.aborted })) : decoding;
        if ('stopped' in decoded && decoded.stopped) return;
        let flushNow = false;
        if (decoded.ok === 'skip') {
          // Not a record (a CSV header line): its offset is passed like a skipped one.
          this.batcher.skip(topic, partition, offset);
        } else if (decoded.ok) {
          this.conversions.check(topic, partition, offset, decoded.line, decoded.invalidUtf8 === true);
          if (!this.batcher.fits(topic, partition, decoded.line, key)) await this.flushAndContinue(key);
          flushNow = this.batcher.add(topic, partition, offset, decoded.line, key);
        } else {
          const handled = await this.handleDecodeError(topic, partition, offset, message, decoded.reason);
          if (!handled) return;
        }
        resolved = message.offset;
        // A failed write has already failed the pipeline; the loop ends on the next check.
        if (flushNow) await this.flushAndContinue(key);
      }
    } finally {
      if (resolved !== null) resolveOffset(resolved);
    }
    // A recorded range whose last records were skipped (not added) is complete all the same.
    const pinnedTo = this.batcher.pinnedTo(key);
    if (pinnedTo !== null && lastSeen >= pinnedTo && !this.failed && this.state === 'running') await this.flushAndContinue(key);
    // The end of the log after a backlog: the batch closes now rather than at its max age.
    else if (this.batcher.fetchEnded(key, batch.offsetLag() === '0') && !this.failed && this.state === 'running') await this.flushAndContinue(key);
  }

  /**
   * Exactly-once queued: replays the ranges recorded before a crash or hand-over exactly as they
   * were sent — same records, same source id, same ingest-by tag — so ADX skips a blob that
   * already landed. A range reported landed or failed is not sent again; its records are passed.
   */
  private async followRecordedRanges(key: string, topic: string, partition: number, offset: number, ranges: RecordedRange[]): Promise<'landed' | 'consume'> {
    const pinnedTo = this.batcher.pinnedTo(key);
    // The range's last record is gone (its own last records skipped, or compacted away): it is complete.
    if (pinnedTo !== null && offset > pinnedTo) await this.flushAndContinue(key, { force: true });
    while (ranges.length > 0 && ranges[0].lastOffset < offset) ranges.shift();
    const range = ranges[0];
    if (!range || offset < range.firstOffset) return 'consume';
    if (!range.pending) {
      if (offset === range.lastOffset) ranges.shift();
      this.batcher.skip(topic, partition, offset);
      return 'landed';
    }
    ranges.shift();
    await this.flushAndContinue(key);
    this.batcher.pin(topic, partition, range.sourceId, range.lastOffset);
    return 'consume';
  }

  /** Applies the connector's error policy; false when the pipeline must stop consuming. */
  private async handleDecodeError(
    topic: string,
    partition: number,
    offset: number,
    message: EachBatchPayload['batch']['messages'][number],
    reason: string,
  ): Promise<boolean> {
    const { definition, connectorId, events } = this.deps;
    const where = `${topic}/${partition}@${offset}`;
    const policy = definition.errorPolicy;
    if (policy.onDecodeError === 'fail') {
      // Everything before the bad record is still written and committed.
      await this.flush(partitionKey(topic, partition)).catch(() => undefined);
      events.emit({ type: 'record-error', connectorId, kind: 'decode', topic, partition, offset, message: reason, preview: previewOf(message.value) });
      this.fail(`Record ${where} could not be decoded (${reason}); error policy is "fail"`, { topic, partition, offset });
      return false;
    }
    if (policy.onDecodeError === 'dlq' && this.dlqProducer && policy.dlqTopic) {
      await this.dlqProducer.send({
        topic: policy.dlqTopic,
        messages: [
          {
            key: message.key,
            value: message.value,
            headers: { ...message.headers, ...dlqHeaders(reason, topic, partition, offset, connectorId) },
          },
        ],
      });
    }
    events.emit({
      type: 'record-error',
      connectorId,
      kind: policy.onDecodeError === 'dlq' ? 'dead-lettered' : 'decode',
      topic,
      partition,
      offset,
      message: reason,
      preview: previewOf(message.value),
      skipped: true,
    });
    this.batcher.skip(topic, partition, offset);
    return true;
  }

  /**
   * Closes the partition's open batch now and queues its write behind the partition's earlier
   * ones (writes and commits stay in offset order). Resolves when that write is done — or, with
   * nothing to close, when the writes already queued are.
   */
  private flush(key: string, { force = false } = {}): Promise<void> {
    const previous = this.flushChains.get(key) ?? Promise.resolve();
    // Part of a recorded range under its tag would make ADX skip the whole range later: it waits
    // for its last record, or is dropped uncommitted when the pipeline stops.
    if (!force && this.batcher.isIncomplete(key)) return previous;
    const batch = this.batcher.take(key);
    if (!batch) return previous;
    // The claim its records were consumed under: a batch closed before a rebalance must not be
    // written under the partition's next claim, whose owner reads those records again.
    if (this.deps.exactlyOnce) this.batchClaims.set(batch, this.claims.get(key));
    this.batchGenerations.set(batch, this.generation);
    inFlightBytes += batch.bytes;
    const next = previous.then(() => this.writeAndCommit(batch)).finally(() => {
      inFlightBytes -= batch.bytes;
      this.batcher.release(batch);
    });
    const guarded = next.catch(() => undefined);
    this.flushChains.set(key, guarded);
    const pending = this.pendingWrites.get(key) ?? [];
    pending.push(guarded);
    this.pendingWrites.set(key, pending);
    void guarded.then(() => {
      if (this.flushChains.get(key) === guarded) this.flushChains.delete(key);
      pending.splice(pending.indexOf(guarded), 1);
    });
    return next;
  }

  /**
   * Consuming goes on while a batch is written (fetching and decoding overlap the target's
   * round trip), but a partition may have only MAX_BATCHES_IN_FLIGHT batches waiting: then it
   * waits for the oldest, so memory stays bounded when the target is slow.
   */
  private async flushAndContinue(key: string, options?: { force?: boolean }): Promise<void> {
    void this.flush(key, options).catch(() => undefined);
    const pending = this.pendingWrites.get(key);
    while (pending && pending.length > 0 && (pending.length >= MAX_BATCHES_IN_FLIGHT || inFlightBytes > IN_FLIGHT_BUDGET_BYTES)) await pending[0];
  }

  private async writeAndCommit(batch: BufferedBatch): Promise<void> {
    if (this.failed) return;
    // Closed before a rebalance and not yet started: the partition's owner in the new generation
    // (maybe this member) reads these records again from the last commit, so writing them now
    // would only land them twice.
    if (this.batchGenerations.get(batch) !== this.generation) return;
    let commitUpTo = batch.lastOffset + 1;
    if (batch.offsets.length > 0) {
      const failedAt = await this.writeRange(batch, 0, batch.offsets.length, { rejected: 0 });
      // Policy "fail": what precedes the record is written, the record itself is replayed on restart.
      if (failedAt !== null) commitUpTo = failedAt;
    }
    if (commitUpTo > batch.firstOffset || batch.offsets.length === 0) {
      // After a rebalance the commit of a batch that already landed fails; the partition's new
      // owner reads the batch again from the last commit (and counts those rows as replayed).
      await this.consumer?.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: String(commitUpTo) }]);
    }
  }

  /**
   * Writes lines [from, to) of a batch. A batch the target refuses because of its records is
   * split in halves until the records responsible are found; they follow the error policy and
   * the rest lands, in offset order. Returns the offset of the record the pipeline failed at
   * (policy "fail"), or null. Throws when the pipeline must stop without committing.
   */
  private async writeRange(batch: BufferedBatch, from: number, to: number, tally: { rejected: number }): Promise<number | null> {
    const { connectorId, events, definition } = this.deps;
    const whole = from === 0 && to === batch.offsets.length;
    const lines = linesOf(batch, from, to);
    const origin: BatchOrigin = { topic: batch.topic, partition: batch.partition, firstOffset: batch.offsets[from], lastOffset: batch.offsets[to - 1] };
    let receipt: WriteReceipt;
    try {
      const startedAt = performance.now();
      // Recorded before the write starts, so whatever a killed worker may have landed is within it.
      if (!this.deps.exactlyOnce) {
        await this.deps.watermarks.markSent(origin.topic, origin.partition, origin.lastOffset).catch((error: Error) => this.deps.log(`connector ${connectorId}: sent offset not recorded — ${error.message}`));
      }
      receipt = await this.writeToTarget(lines, origin, batch, whole);
      observeBatchWrite(connectorId, receipt.path, (performance.now() - startedAt) / 1000);
    } catch (error) {
      if (this.abort.signal.aborted || error instanceof PartitionRevokedError) throw error;
      const narrowable = error instanceof RejectedBatchError && error.scope === 'records';
      // A rejection of most of a batch is not about records: stop rather than skip everything.
      if (!narrowable || tally.rejected >= Math.max(MAX_REJECTED_PER_BATCH, batch.offsets.length / 10)) {
        events.emit({
          type: 'record-error',
          connectorId,
          kind: 'target-rejected',
          topic: batch.topic,
          partition: batch.partition,
          offset: origin.lastOffset,
          message: `A batch of ${lines.count} rows (offsets ${origin.firstOffset}–${origin.lastOffset}) was rejected: ${(error as Error).message}`,
          preview: previewOf(firstLine(lines.body)),
        });
        this.fail(`Writing to ${targetFor(definition, batch.topic).table} failed: ${(error as Error).message}`);
        throw error;
      }
      if (to - from > 1) {
        const middle = from + Math.floor((to - from) / 2);
        const failedAt = await this.writeRange(batch, from, middle, tally);
        return failedAt ?? (await this.writeRange(batch, middle, to, tally));
      }
      tally.rejected += 1;
      return this.handleRejectedRecord(batch.topic, batch.partition, origin.firstOffset, lines.body, (error as Error).message);
    }
    if (receipt.path !== 'streaming') await this.recordQueued(origin, lines.count, receipt);
    this.countReplayed(origin, whole ? batch.offsets : batch.offsets.slice(from, to));
    await this.deps.watermarks.markWritten(origin.topic, origin.partition, origin.lastOffset).catch((error: Error) => this.deps.log(`connector ${connectorId}: written offset not recorded — ${error.message}`));
    const bytes = whole ? batch.bytes : lines.body.length + 1;
    // A recorded range sent again was counted when it was first sent (ADX skips it if it landed).
    const resent = batch.rangeId !== undefined;
    events.emit({ type: 'written', connectorId, topic: batch.topic, partition: batch.partition, rows: resent ? 0 : lines.count, bytes: resent ? 0 : bytes, lastOffset: origin.lastOffset, path: receipt.path });
    return null;
  }

  /** A record the target refused on its own: the error policy decides, as for a record that cannot be decoded. */
  private async handleRejectedRecord(topic: string, partition: number, offset: number, line: Buffer, reason: string): Promise<number | null> {
    const { definition, connectorId, events, kafka } = this.deps;
    const policy = definition.errorPolicy;
    const message = `The target refused record ${topic}/${partition}@${offset}: ${reason}`;
    if (policy.onDecodeError === 'fail') {
      events.emit({ type: 'record-error', connectorId, kind: 'target-rejected', topic, partition, offset, message, preview: previewOf(line) });
      this.fail(`${message}; error policy is "fail"`, { topic, partition, offset });
      return offset;
    }
    if (policy.onDecodeError === 'dlq' && this.dlqProducer && policy.dlqTopic) {
      // The batch keeps only the decoded text; the DLQ gets the original bytes, read back from Kafka.
      const [original] = await readPartitionMessages(kafka, { topic, partition, fromOffset: offset, maxMessages: 1 });
      const value = original?.valueBase64 ? Buffer.from(original.valueBase64, 'base64') : original?.value !== undefined && original.value !== null ? Buffer.from(original.value, 'utf8') : line;
      await this.dlqProducer.send({
        topic: policy.dlqTopic,
        messages: [{ key: original?.key ?? null, value, headers: { ...original?.headers, ...dlqHeaders(reason, topic, partition, offset, connectorId) } }],
      });
    }
    events.emit({
      type: 'record-error',
      connectorId,
      kind: policy.onDecodeError === 'dlq' ? 'dead-lettered' : 'target-rejected',
      topic,
      partition,
      offset,
      message,
      preview: previewOf(line),
      skipped: true,
    });
    return null;
  }

  /**
   * The blob is already durably queued, so its bookkeeping row is retried (Postgres may be
   * restarting) rather than given up: offsets are committed only after it is written.
   */
  private async recordQueued(origin: BatchOrigin, rows: number, receipt: Extract<WriteReceipt, { path: 'queued' | 'managed-fallback' }>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.deps.recordQueued(origin, rows, receipt);
        return;
      } catch (error) {
        if (attempt === 0) this.deps.log(`connector ${this.deps.connectorId}: queued blob ${receipt.sourceId} not recorded yet — ${(error as Error).message}`);
        await abortableDelay(Math.min(5_000, 200 * 2 ** attempt), this.abort.signal);
      }
    }
  }

  /**
   * Streams or queues a batch; in exactly-once mode only while this pipeline still owns the
   * partition (checked under the partition's lock, which a new owner takes before it looks).
   */
  private async writeToTarget(lines: Lines, origin: BatchOrigin, batch: BufferedBatch, wholeBatch: boolean): Promise<WriteReceipt> {
    const { exactlyOnce } = this.deps;
    const sink = this.deps.sinkFor(origin.topic);
    if (!exactlyOnce) return sink.write(lines.body, origin, this.abort.signal);
    const claim = await this.batchClaims.get(batch);
    if (!claim) throw new PartitionRevokedError(origin);
    const receipt = await exactlyOnce.fence.whileOwner(origin.topic, origin.partition, claim.token, async () => {
      if (exactlyOnce.mode === 'streaming') return sink.write(lines.body, origin, this.abort.signal);
      // The range is recorded before the blob is sent: a crash after sending leaves it for the next owner to send again.
      const resent = wholeBatch ? batch.rangeId : undefined;
      const sourceId = resent ?? randomUUID();
      await exactlyOnce.recordRange(origin, lines.count, sourceId, sink.blobNameFor(sourceId), lines.body.length);
      try {
        return await sink.write(lines.body, origin, this.abort.signal, { sourceId });
      } catch (error) {
        if (!resent && error instanceof RejectedBatchError) await exactlyOnce.forgetRange(sourceId).catch(() => undefined);
        throw error;
      }
    });
    if (receipt === 'revoked') throw new PartitionRevokedError(origin);
    return receipt;
  }

  /**
   * Takes ownership of a partition once per generation (at its first fetch, from `position`) and
   * learns where to resume: after the highest offset in the target, or the ranges to send again.
   */
  private claimFor(topic: string, partition: number, position: number): Promise<PartitionClaim> {
    const key = partitionKey(topic, partition);
    let claim = this.claims.get(key);
    if (!claim) {
      const exactlyOnce = this.deps.exactlyOnce!;
      const resume = async () => {
        if (exactlyOnce.mode === 'queued') return { resumeFrom: 0, ranges: await exactlyOnce.recordedRanges(topic, partition, position) };
        const highest = await exactlyOnce.highestOffsetInTarget(topic, partition);
        return { resumeFrom: highest === null ? 0 : highest + 1, ranges: [] };
      };
      claim = this.retryUntilStopped(`claiming ${key}`, () => exactlyOnce.fence.claim(topic, partition, resume));
      this.claims.set(key, claim);
      claim.catch(() => this.claims.delete(key));
    }
    return claim;
  }

  /** At-least-once: how far the partition was written and sent, so rows written again are counted. */
  private async replayFor(topic: string, partition: number): Promise<void> {
    const key = partitionKey(topic, partition);
    if (this.replays.has(key)) return;
    this.replays.set(key, { written: null, sent: null });
    const watermarks = await this.deps.watermarks.read(topic, partition).catch(() => null);
    if (watermarks) this.replays.set(key, watermarks);
  }

  private countReplayed(origin: BatchOrigin, offsets: Float64Array): void {
    const replay = this.replays.get(partitionKey(origin.topic, origin.partition));
    const written = replay?.written ?? -1;
    const sent = Math.max(written, replay?.sent ?? -1);
    if (sent < origin.firstOffset) return;
    let rows = 0;
    let possibleRows = 0;
    for (const offset of offsets) {
      if (offset <= written) rows++;
      else if (offset <= sent) possibleRows++;
    }
    if (rows + possibleRows > 0) this.deps.events.emit({ type: 'duplicates', connectorId: this.deps.connectorId, rows, possibleRows });
  }

  private async retryUntilStopped<T>(what: string, attempt: () => Promise<T>): Promise<T> {
    for (let tries = 0; ; tries++) {
      try {
        return await attempt();
      } catch (error) {
        if (this.abort.signal.aborted) throw error;
        this.deps.log(`connector ${this.deps.connectorId}: ${what} failed, retrying — ${(error as Error).message}`);
        await abortableDelay(Math.min(5_000, 250 * 2 ** tries), this.abort.signal);
      }
    }
  }

  private fail(message: string, record: FailedRecord | null = null, { retry = false } = {}): void {
    if (this.failed) return;
    this.failed = true;
    this.deps.onFailed(message, record, retry);
  }

  private skipByOperator(topic: string, partition: number, offset: number, value: Buffer | null): void {
    const { connectorId, events } = this.deps;
    events.emit({
      type: 'record-error',
      connectorId,
      kind: 'skipped-by-operator',
      topic,
      partition,
      offset,
      message: `Record ${recordKey(topic, partition, offset)} was skipped: an operator chose to skip it when restarting the connector that failed on it`,
      preview: previewOf(value),
      skipped: true,
    });
    this.batcher.skip(topic, partition, offset);
  }

  /**
   * Stops consuming, writes and commits what is buffered (commits are only possible while the
   * consumer still runs), then leaves the group. Bounded by `deadlineMs`; safe to call twice.
   */
  stop(deadlineMs = 15_000): Promise<void> {
    this.stopPromise ??= this.doStop(deadlineMs);
    return this.stopPromise;
  }

  private async doStop(deadlineMs: number): Promise<void> {
    const wasRunning = this.state === 'running';
    this.state = 'stopping';
    if (this.ageTimer) clearInterval(this.ageTimer);
    this.conversions.flush();
    const deadline = setTimeout(() => this.abort.abort(new Error('pipeline stop deadline reached')), deadlineMs);
    try {
      if (wasRunning && !this.failed) {
        await Promise.allSettled(this.batcher.keys().map((key) => this.flush(key)));
      }
      await Promise.allSettled([...this.flushChains.values()]);
    } finally {
      clearTimeout(deadline);
      this.abort.abort(new Error('pipeline stopped'));
      // What was not written (a failed pipeline, the deadline) is read again by the next owner.
      this.batcher.clear();
      await this.consumer?.disconnect().catch(() => undefined);
      setAssignedPartitions(this, 0);
      await this.dlqProducer?.disconnect().catch(() => undefined);
      this.state = 'stopped';
    }
  }
}
