import type { Kafka } from 'kafkajs';
import { z } from 'zod';
import { AppError, ErrorCode } from '../errors';
import { brokerError } from './broker-error';
import { detectSampleFormat, type TSampleLayout } from '../mapping/sample-layout';
import { AvroRecordDecoder, wireFormatSchemaId } from '../schema-registry/avro-records';
import type { SchemaRegistryClient } from '../schema-registry/registry-client';
import { readPartitionMessages, type SampledMessage } from './read-partition-messages';
import type { WizardSample, WizardSampleMessage } from './wizard-sample';

/** The wizard offers up to 100; more only makes the answer heavier, not the inference better. */
export const SAMPLE_MAX_MESSAGES = 100;
/** An answer's budget: large records are kept whole (the wizard parses them) until it is spent. */
export const SAMPLE_MAX_BYTES = 1024 * 1024;

export const ZSampleLimit = z.coerce
  .number()
  .int()
  .min(1, 'must be at least 1')
  .max(SAMPLE_MAX_MESSAGES, `must be at most ${SAMPLE_MAX_MESSAGES}`)
  .default(20);

function sizeOf(message: SampledMessage): number {
  return (message.value?.length ?? 0) + (message.valueBase64?.length ?? 0) + (message.key?.length ?? 0) + JSON.stringify(message.headers).length;
}

/** The newest messages that fit in SAMPLE_MAX_BYTES; always at least one. */
function withinBudget(messages: SampledMessage[]): SampledMessage[] {
  let total = 0;
  const kept: SampledMessage[] = [];
  for (const message of messages) {
    total += sizeOf(message);
    if (kept.length > 0 && total > SAMPLE_MAX_BYTES) break;
    kept.push(message);
  }
  return kept;
}

/**
 * The `limit` most recent records of a topic, newest first, spread over its partitions: each
 * partition is read from `high − limit`, then the newest across all are kept. No consumer group
 * is joined or moved.
 */
export async function sampleTopic(kafka: Kafka, topic: string, limit: number): Promise<SampledMessage[]> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    // Asked first: fetching offsets of a missing topic retries for seconds before it gives up.
    if (!(await admin.listTopics()).includes(topic)) throw new AppError(ErrorCode.NOT_FOUND, `Topic "${topic}" does not exist on this cluster`);
    const offsets = await admin.fetchTopicOffsets(topic);
    const perPartition = await Promise.all(
      offsets
        .filter((entry) => Number(entry.high) > Number(entry.low))
        .map((entry) => {
          const fromOffset = Math.max(Number(entry.low), Number(entry.high) - limit);
          return readPartitionMessages(kafka, { topic, partition: entry.partition, fromOffset, maxMessages: limit });
        }),
    );
    return withinBudget(
      perPartition
        .flat()
        .sort((a, b) => b.timestamp.localeCompare(a.timestamp) || a.partition - b.partition || b.offset - a.offset)
        .slice(0, limit),
    );
  } catch (error) {
    throw brokerError(error, `Reading messages of topic "${topic}"`);
  } finally {
    await admin.disconnect();
  }
}

function valueBytes(message: SampledMessage): Uint8Array | null {
  if (message.valueBase64 !== null) return Buffer.from(message.valueBase64, 'base64');
  return message.value === null ? null : Buffer.from(message.value, 'utf8');
}

/**
 * The wizard's sample: the newest records and what they are — JSON, CSV (delimiter and header,
 * looked for in each partition's first record too, where a producer writes it) or Confluent-framed
 * Avro, decoded with the connection's schema registry as the worker would decode it.
 */
export async function sampleTopicForWizard(kafka: Kafka, registry: SchemaRegistryClient | null, topic: string, limit: number): Promise<WizardSample> {
  const messages = await sampleTopic(kafka, topic, limit);
  const values = messages.map((message) => ({ text: message.value, bytes: valueBytes(message) }));
  let layout = detectSampleFormat(values);
  if (layout.format === 'csv' && !layout.csv?.header) {
    const partitions = [...new Set(messages.map((message) => message.partition))];
    const firsts = await Promise.all(partitions.map((partition) => readPartitionMessages(kafka, { topic, partition, fromOffset: 0, maxMessages: 1, maxBytes: 64 * 1024 }).catch(() => [])));
    layout = detectSampleFormat(values, firsts.flat().flatMap((message) => (message.value === null ? [] : [message.value])));
  }
  if (layout.format !== 'avro') return { ...layout, messages };
  if (!registry) return { ...layout, avro: { error: 'The values are Avro in the Confluent wire format, but this Kafka connection has no schema registry: add its URL to the connection.' }, messages };
  const decoder = new AvroRecordDecoder(registry);
  const decodedMessages = await Promise.all(
    messages.map(async (message): Promise<WizardSampleMessage> => {
      const bytes = valueBytes(message);
      if (bytes === null) return message;
      const decoded = await decoder.decode(Buffer.from(bytes));
      return decoded.ok ? { ...message, decoded: decoded.json } : { ...message, decoded: null, decodeError: decoded.reason };
    }),
  );
  const newest = messages.map(valueBytes).find((bytes): bytes is Uint8Array => bytes !== null);
  const schemaId = newest ? wireFormatSchemaId(Buffer.from(newest)) : null;
  let avro: WizardSample['avro'];
  try {
    avro = schemaId === null ? { error: 'no record names a schema' } : { schemaId, schema: (await registry.schemaById(schemaId)).schema };
  } catch (error) {
    avro = { error: `The schema of the newest record (id ${schemaId}) could not be read: ${(error as Error).message}` };
  }
  return { ...layout, avro, messages: decodedMessages };
}
