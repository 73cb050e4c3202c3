import { targetFor, ZConnectorDefinition, type TConnectorDefinition } from '../connectors/connector-definition';
import { assertConnectorId } from '../connectors/read-connectors';
import type { Db } from '../db/prisma';
import { AppError, ErrorCode } from '../errors';
import type { KafkaConnection, KustoConnection } from '../generated/prisma/client';
import { deriveIngestUrl } from '../kusto/ingest-url';

/** What stands in for a secret in an exported config: Kastor never writes one out. */
export const SECRET_PLACEHOLDER = '<secret>';

const KUSTO_SINK_CLASS = 'com.microsoft.azure.kusto.kafka.connect.sink.KustoSinkConnector';

export interface KafkaConnectConfig {
  name: string;
  config: Record<string, string>;
}

/** The sink's `aad.auth.strategy` for a Kusto connection's sign-in. */
function kustoAuthKeys(kusto: KustoConnection): Record<string, string> {
  switch (kusto.authKind) {
    case 'APPLICATION_KEY':
      return { 'aad.auth.strategy': 'application', 'aad.auth.authority': kusto.tenantId ?? '', 'aad.auth.appid': kusto.appId ?? '', 'aad.auth.appkey': SECRET_PLACEHOLDER };
    case 'MANAGED_IDENTITY':
      return { 'aad.auth.strategy': 'managed_identity', ...(kusto.managedIdentityClientId ? { 'aad.auth.appid': kusto.managedIdentityClientId } : {}) };
    case 'WORKLOAD_IDENTITY':
      return { 'aad.auth.strategy': 'workload_identity', 'aad.auth.authority': kusto.tenantId ?? '', 'aad.auth.appid': kusto.appId ?? '' };
    case 'AZURE_CLI':
      return { 'aad.auth.strategy': 'az_dev_tokens' };
    default:
      return {};
  }
}

function kafkaSecurityKeys(kafka: KafkaConnection): Record<string, string> {
  if (kafka.securityProtocol === 'PLAINTEXT') return {};
  const keys: Record<string, string> = { 'security.protocol': kafka.securityProtocol };
  if (kafka.securityProtocol.startsWith('SASL')) {
    const mechanism = kafka.saslMechanism ?? 'PLAIN';
    const module = mechanism === 'PLAIN' ? 'org.apache.kafka.common.security.plain.PlainLoginModule' : 'org.apache.kafka.common.security.scram.ScramLoginModule';
    keys['sasl.mechanism'] = mechanism;
    keys['sasl.jaas.config'] = `${module} required username="${kafka.saslUsername ?? ''}" password="${SECRET_PLACEHOLDER}";`;
  }
  return keys;
}

function errorKeys(policy: TConnectorDefinition['errorPolicy']): Record<string, string> {
  switch (policy.onDecodeError) {
    case 'fail':
      return { 'behavior.on.error': 'fail' };
    case 'skip':
      return { 'behavior.on.error': 'ignore', 'errors.tolerance': 'all' };
    case 'dlq':
      return { 'behavior.on.error': 'ignore', 'errors.tolerance': 'all', 'misc.deadletterqueue.topic.name': policy.dlqTopic ?? '' };
  }
}

/**
 * The Kafka Connect Kusto sink config that does what a Kastor connector does — the reverse of
 * importKafkaConnect. The sink keeps no columns: they live in the table and its JSON ingestion
 * mapping (and the batching policy on the table), which Kastor has already applied; importing
 * the config back reads them from there. Secrets are written as "<secret>".
 */
export function toKafkaConnectConfig(definition: TConnectorDefinition, kafka: KafkaConnection, kusto: KustoConnection): KafkaConnectConfig {
  const { source, ingestion, flush } = definition;
  // The sink's `streaming: true` is managed streaming (with queued fallback); it has no pure streaming.
  const streaming = ingestion.mode === 'queued' ? 'false' : 'true';
  // Every topic with the table its route names; the sink reads Avro itself, and Kastor's CSV
  // lands through a JSON mapping, so CSV is written as json (the sink would need a CSV mapping).
  const format = definition.format === 'avro' ? 'avro' : 'json';
  const mapping = source.topics.map((topic) => {
    const routed = targetFor(definition, topic);
    return { topic, db: routed.database, table: routed.table, format, mapping: routed.mappingName, streaming };
  });
  return {
    name: definition.name,
    config: {
      'connector.class': KUSTO_SINK_CLASS,
      topics: source.topics.join(','),
      'tasks.max': '1',
      'kusto.query.url': kusto.clusterUrl,
      'kusto.ingestion.url': kusto.ingestUrl ?? deriveIngestUrl(kusto.clusterUrl),
      ...kustoAuthKeys(kusto),
      'kusto.tables.topics.mapping': JSON.stringify(mapping),
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'key.converter.schemas.enable': 'false',
      'value.converter.schemas.enable': 'false',
      'flush.size.bytes': String(flush.maxBytes),
      'flush.interval.ms': String(flush.maxAgeMs),
      'consumer.override.auto.offset.reset': source.startFrom,
      ...errorKeys(definition.errorPolicy),
      ...kafkaSecurityKeys(kafka),
    },
  };
}

/** A saved connector as a Kafka Connect Kusto sink config. */
export async function exportConnectorToKafkaConnect(db: Db, id: string): Promise<KafkaConnectConfig> {
  assertConnectorId(id);
  const connector = await db.connector.findUnique({ where: { id }, include: { kafkaConnection: true, kustoConnection: true } });
  if (!connector || connector.desiredState === 'DELETED') throw new AppError(ErrorCode.NOT_FOUND, `Connector ${id} not found`);
  return toKafkaConnectConfig(ZConnectorDefinition.parse(connector.definition), connector.kafkaConnection, connector.kustoConnection);
}
