import 'server-only';
import type { Kafka } from 'kafkajs';
import type { Db } from '../db/prisma';
import { parseOrThrow } from '../errors';
import { describeBrokerFailure } from '../kafka/broker-error';
import { createKafka } from '../kafka/kafka-client';
import { ZKafkaConnectionInput, ZKafkaConnectionUpdate, ZKafkaDraftTestRequest, type TKafkaConnectionTest } from './connection-definitions';
import { kafkaConnectionFields, type KafkaConnectionFields } from './connection-records';
import { assertBrokersAllowed, type OutboundPolicy } from './outbound-policy';
import { findKafkaConnection } from './read-connections';

/** Long enough for kafkajs's own connection retries (5, from 200 ms) to give up on an unreachable broker. */
export const KAFKA_TEST_TIMEOUT_MS = 10_000;

export async function testSavedKafkaConnection(db: Db, id: string, secretKey: string, outbound?: OutboundPolicy): Promise<TKafkaConnectionTest> {
  const stored = await findKafkaConnection(db, id);
  if (outbound) assertBrokersAllowed(stored.brokers, outbound);
  return testKafkaConnection(stored, secretKey);
}

/** A form's settings, unsaved; on an edit form blank secrets come from the stored connection. */
export async function testKafkaConnectionDraft(db: Db, body: unknown, secretKey: string, outbound?: OutboundPolicy): Promise<TKafkaConnectionTest> {
  const { connection, connectionId } = parseOrThrow(ZKafkaDraftTestRequest, body);
  const stored = connectionId ? await findKafkaConnection(db, connectionId) : undefined;
  const input = parseOrThrow(stored ? ZKafkaConnectionUpdate : ZKafkaConnectionInput, connection);
  // Checked before anything is dialled, naming the field as the form does (connection.brokers.0).
  if (outbound) assertBrokersAllowed(input.brokers, outbound, 'connection.');
  return testKafkaConnection(kafkaConnectionFields(input, secretKey, stored), secretKey);
}

/** Lists the topics with a deadline; a failure is an outcome to show, in words, not a socket error. */
async function testKafkaConnection(fields: KafkaConnectionFields, secretKey: string): Promise<TKafkaConnectionTest> {
  const testedAt = new Date().toISOString();
  const kafka: Kafka = createKafka(fields, secretKey, 'kastor-connection-test');
  const admin = kafka.admin();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new KafkaTestTimeout()), KAFKA_TEST_TIMEOUT_MS);
  });
  try {
    const names = await Promise.race([
      (async () => {
        await admin.connect();
        return admin.listTopics();
      })(),
      deadline,
    ]);
    const topics = names.filter((name) => !name.startsWith('__')).sort();
    return { ok: true, testedAt, topics, message: `Connected to ${fields.brokers.join(', ')}: ${topics.length} topic${topics.length === 1 ? '' : 's'}.` };
  } catch (error) {
    return { ok: false, testedAt, topics: [], message: describeKafkaFailure(error, fields) };
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => undefined);
  }
}

class KafkaTestTimeout extends Error {}

function describeKafkaFailure(error: unknown, fields: KafkaConnectionFields): string {
  const brokers = fields.brokers.join(', ');
  if (error instanceof KafkaTestTimeout) return `No answer from ${brokers} within ${KAFKA_TEST_TIMEOUT_MS / 1000} s. Check the addresses and that this server may reach them.`;
  if ((error as { name?: string } | null)?.name === 'KafkaJSSASLAuthenticationError') return `The brokers refused the SASL ${fields.saslMechanism} credentials of "${fields.saslUsername}".`;
  return describeBrokerFailure(error, brokers);
}
