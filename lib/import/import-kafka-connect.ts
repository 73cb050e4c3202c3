import { z } from 'zod';
import { batchLimitBytes, QUEUED_BLOB_LIMIT_BYTES, type TConnectorDefinitionInput, type TIngestionMode } from '../connectors/connector-definition';
import { AppError, ErrorCode, parseOrThrow } from '../errors';
import { parseConnectMapping } from './parse-connect-mapping';

export const ZImportKafkaConnectInput = z.object({
  config: z.union([z.string().min(1, 'is required'), z.record(z.string(), z.unknown())]),
  kafkaConnectionId: z.string().uuid('must be the id of a Kafka connection').optional(),
  kustoConnectionId: z.string().uuid('must be the id of a Kusto connection').optional(),
});

export interface UnsupportedKey {
  key: string;
  value: string;
  meaning: string;
}

export interface KafkaConnectImport {
  /** Connector definitions with what the config says; columns are left for the wizard to infer. */
  connectors: Partial<TConnectorDefinitionInput>[];
  unsupported: UnsupportedKey[];
  /** Keys whose values may carry a credential: listed, never echoed. */
  withheld: string[];
}

const KUSTO_SINK_CLASS = 'com.microsoft.azure.kusto.kafka.connect.sink.KustoSinkConnector';
const HIDDEN = '(may hold a credential, not shown)';

/**
 * Key names that can carry a credential in Kafka, Kafka Connect and the Kusto sink: passwords
 * (`ssl.keystore.pw`, `*.password`), keys and secrets (`aad.auth.appkey`), tokens
 * (`sasl.oauthbearer.token`, `aad.auth.accesstoken`), credentials (`aad.auth.credentials`), JAAS
 * configs, key- and truststores, certificates, connection strings. Broad on purpose: showing a
 * harmless value as withheld costs nothing.
 */
const CREDENTIAL_KEY = /(pass(word|wd|phrase)?|(^|[._-])pw([._-]|$)|secret|token|credential|jaas|keystore|truststore|(^|[._-])key([._-]|$)|appkey|apikey|private|certificate|cert(s)?([._-]|$)|sas[._-]?token|signature|connection[._-]?string|auth[._-]?(info|header)|bearer|login|user[._-]?info)/i;

/**
 * Values that look like a credential whatever their key: user info in a URL or a broker list
 * (`SASL_SSL://user:pw@host`), JAAS login modules, `password=`-style pairs, JWTs, PEM blocks,
 * storage and Event Hubs connection strings.
 */
const CREDENTIAL_VALUE = [
  /[a-z][a-z0-9+.-]*:\/\/[^\s/@]*:[^\s/@]*@/i,
  /\/\/[^\s/@:]+@/,
  /LoginModule/i,
  /(password|passwd|pwd|secret|token|apikey|api_key|accountkey|sharedaccesskey|sig)\s*[=:]/i,
  /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./,
  /-----BEGIN [A-Z ]+-----/,
];

function mayHoldCredential(key: string, value: unknown): boolean {
  if (CREDENTIAL_KEY.test(key)) return true;
  // A structured value is not shown at all: a credential could sit anywhere inside it.
  if (value !== null && typeof value === 'object') return true;
  return typeof value === 'string' && CREDENTIAL_VALUE.some((pattern) => pattern.test(value));
}

/** Keys that become part of the connector definition, or that only restate what Kastor does anyway. */
const CARRIED_OVER = new Set([
  'name',
  'connector.class',
  'topics',
  'kusto.tables.topics.mapping',
  'flush.size.bytes',
  'flush.interval.ms',
  'behavior.on.error',
  'misc.deadletterqueue.topic.name',
  'errors.deadletterqueue.topic.name',
  'errors.tolerance',
  'consumer.override.auto.offset.reset',
  'key.converter',
  'key.converter.schemas.enable',
  'value.converter.schemas.enable',
]);

/** What the Kusto sink's other keys do (kafka-sink-azure-kusto KustoSinkConfig and README), and where that lives in Kastor. */
const MEANINGS: Record<string, string> = {
  'tasks.max': 'Number of Kafka Connect tasks. Kastor has no tasks: every worker joins the connector\'s consumer group and Kafka spreads the partitions.',
  'kusto.ingestion.url': 'The cluster\'s ingest endpoint. It belongs on the Kusto connection you pick, not on the connector.',
  'kusto.query.url': 'The cluster\'s query endpoint. It belongs on the Kusto connection you pick (its cluster URL).',
  'aad.auth.authority': 'Entra ID tenant for application-key sign-in. It belongs on the Kusto connection.',
  'aad.auth.appid': 'Entra ID application id. It belongs on the Kusto connection.',
  'aad.auth.appkey': 'Entra ID application secret. It belongs on the Kusto connection, where it is stored encrypted.',
  'aad.auth.strategy': 'How the sink signs in to ADX (application, managed identity, …). Kastor connections sign in with an application key or no credentials.',
  'aad.auth.accesstoken': 'A raw ADX access token for development. Kastor does not use raw tokens.',
  'security.protocol': 'How the sink reaches Kafka. It belongs on the Kafka connection you pick.',
  'sasl.mechanism': 'Kafka SASL mechanism. It belongs on the Kafka connection you pick.',
  'sasl.jaas.config': 'Kafka SASL user name and password. They belong on the Kafka connection, where the password is stored encrypted.',
  'value.converter': 'How Kafka Connect decodes values. Kastor decodes JSON values itself.',
  'kusto.validation.table.enable': 'Checks the table, mapping and permissions at start-up. The wizard checks the target before anything is created.',
  'errors.retry.max.time.ms': 'Retry budget for transient ADX errors. Kastor retries transient target errors with exponential backoff until they clear.',
  'errors.retry.backoff.time.ms': 'Pause between retries. Kastor backs off exponentially instead.',
  'misc.deadletterqueue.bootstrap.servers': 'Brokers of the dead-letter topic. Kastor writes dead letters to the source connection\'s cluster.',
  'tempdir.path': 'Local folder where the sink buffers files. Kastor buffers in memory, bounded by the flush policy.',
  'proxy.host': 'HTTP proxy towards ADX. Kastor connections do not use a proxy.',
  'proxy.port': 'HTTP proxy port towards ADX. Kastor connections do not use a proxy.',
};

const ZConnectMappingEntry = z.object({
  topic: z.string().min(1),
  db: z.string().min(1),
  table: z.string().min(1),
  format: z.string().optional(),
  mapping: z.string().optional(),
  streaming: z.union([z.boolean(), z.string()]).optional(),
});

const JSON_FORMATS = new Set(['json', 'multijson', 'singlejson']);
const AVRO_FORMATS = new Set(['avro', 'apacheavro']);

function readConfig(input: z.infer<typeof ZImportKafkaConnectInput>['config']): { name?: string; config: Record<string, unknown> } {
  let document: unknown = input;
  if (typeof input === 'string') {
    try {
      document = JSON.parse(input);
    } catch (error) {
      throw new AppError(ErrorCode.UNPROCESSABLE, `The Kafka Connect configuration is not valid JSON: ${(error as Error).message}`, [{ field: 'config', message: 'is not valid JSON' }]);
    }
  }
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new AppError(ErrorCode.UNPROCESSABLE, 'The Kafka Connect configuration must be a JSON object', [{ field: 'config', message: 'must be a JSON object' }]);
  }
  const object = document as Record<string, unknown>;
  // The REST API form is {name, config: {...}}; a bare properties object is accepted too.
  if (object.config && typeof object.config === 'object' && !Array.isArray(object.config)) {
    return { name: typeof object.name === 'string' ? object.name : undefined, config: object.config as Record<string, unknown> };
  }
  return { name: typeof object.name === 'string' ? object.name : undefined, config: object };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function connectorNameFor(base: string): string {
  const name = base
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
  return name || 'imported';
}

function readMappingEntries(raw: unknown): z.infer<typeof ZConnectMappingEntry>[] {
  let parsed: unknown;
  try {
    parsed = typeof raw === 'string' ? parseConnectMapping(raw) : raw;
  } catch (error) {
    throw new AppError(ErrorCode.UNPROCESSABLE, `kusto.tables.topics.mapping is not a readable JSON array: ${(error as Error).message}`, [
      { field: 'config.kusto.tables.topics.mapping', message: 'is not a readable JSON array' },
    ]);
  }
  const result = z.array(ZConnectMappingEntry).min(1).safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new AppError(ErrorCode.UNPROCESSABLE, `kusto.tables.topics.mapping: entry ${issue.path.join('.')} ${issue.message}`, [
      { field: 'config.kusto.tables.topics.mapping', message: 'needs entries with topic, db and table' },
    ]);
  }
  return result.data;
}

function integerSetting(config: Record<string, unknown>, key: string): number | undefined {
  const value = config[key];
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number)) throw new AppError(ErrorCode.UNPROCESSABLE, `${key} must be a whole number`, [{ field: `config.${key}`, message: 'must be a whole number' }]);
  return number;
}

function errorPolicyOf(config: Record<string, unknown>): TConnectorDefinitionInput['errorPolicy'] {
  const dlqTopic = text(config['misc.deadletterqueue.topic.name'] ?? config['errors.deadletterqueue.topic.name'] ?? '');
  const behavior = text(config['behavior.on.error'] ?? 'fail').toLowerCase();
  const tolerant = behavior !== 'fail' || text(config['errors.tolerance'] ?? 'none').toLowerCase() === 'all';
  if (!tolerant) return { onDecodeError: 'fail' };
  return dlqTopic ? { onDecodeError: 'dlq', dlqTopic } : { onDecodeError: 'skip' };
}

/**
 * Turns a Kafka Connect Kusto sink configuration into the equivalent Kastor connector — one, reading
 * every mapped topic and routing each to its table — and lists every key that does not carry over with what it meant. Secrets are
 * never echoed back.
 */
export function importKafkaConnect(input: unknown): KafkaConnectImport {
  const { config: raw, kafkaConnectionId, kustoConnectionId } = parseOrThrow(ZImportKafkaConnectInput, input);
  const { name, config } = readConfig(raw);
  const connectorClass = config['connector.class'];
  if (connectorClass !== undefined && connectorClass !== KUSTO_SINK_CLASS) {
    throw new AppError(ErrorCode.UNPROCESSABLE, `connector.class is ${typeof connectorClass === 'string' ? connectorClass.slice(0, 200) : 'not a class name'}; only the Kusto sink connector (${KUSTO_SINK_CLASS}) can be imported`, [
      { field: 'config.connector.class', message: 'is not the Kusto sink connector' },
    ]);
  }
  if (config['kusto.tables.topics.mapping'] === undefined) {
    throw new AppError(ErrorCode.UNPROCESSABLE, 'kusto.tables.topics.mapping is required: it names the table each topic goes to', [
      { field: 'config.kusto.tables.topics.mapping', message: 'is required' },
    ]);
  }
  const entries = readMappingEntries(config['kusto.tables.topics.mapping']);
  const unsupported: UnsupportedKey[] = [];

  const flushBytes = integerSetting(config, 'flush.size.bytes');
  const flushMs = integerSetting(config, 'flush.interval.ms');
  const flush: NonNullable<TConnectorDefinitionInput['flush']> = {};
  if (flushBytes !== undefined) {
    flush.maxBytes = Math.min(Math.max(flushBytes, 1024), QUEUED_BLOB_LIMIT_BYTES);
    if (flush.maxBytes !== flushBytes) {
      unsupported.push({ key: 'flush.size.bytes', value: String(flushBytes), meaning: `Kastor flushes between 1 KB and 1 GB (one queued blob); ${flush.maxBytes} bytes is used instead.` });
    }
  }
  if (flushMs !== undefined) {
    flush.maxAgeMs = Math.min(Math.max(flushMs, 100), 600_000);
    if (flush.maxAgeMs !== flushMs) {
      unsupported.push({ key: 'flush.interval.ms', value: String(flushMs), meaning: `Kastor flushes every 100 ms to 10 min; ${flush.maxAgeMs} ms is used instead.` });
    }
  }
  const startFrom = text(config['consumer.override.auto.offset.reset'] ?? 'earliest').toLowerCase() === 'latest' ? 'latest' : 'earliest';
  const errorPolicy = errorPolicyOf(config);

  /** A streaming request carries at most 4 MB, so a streaming entry's flush is capped there. */
  const flushFor = (mode: TIngestionMode, index: number): typeof flush => {
    const limit = batchLimitBytes(mode);
    if (flush.maxBytes === undefined || flush.maxBytes <= limit) return flush;
    unsupported.push({
      key: `kusto.tables.topics.mapping[${index}].streaming`,
      value: 'true',
      meaning: `Streaming requests carry at most 4 MB, so this connector flushes at ${limit} bytes instead of flush.size.bytes.`,
    });
    return { ...flush, maxBytes: limit };
  };

  // One connector reads every mapped topic and routes each to its table, as the sink does; the
  // first entry's table is the default target, the others become routes.
  const formats = entries.map((entry, index) => {
    const format = (entry.format ?? 'json').toLowerCase();
    if (JSON_FORMATS.has(format)) return 'json' as const;
    if (AVRO_FORMATS.has(format)) return 'avro' as const;
    if (format === 'csv') return 'csv' as const;
    unsupported.push({ key: `kusto.tables.topics.mapping[${index}].format`, value: entry.format ?? '', meaning: `Topic ${entry.topic} is ingested as ${entry.format}; Kastor's worker decodes JSON, CSV and Avro, so this connector is prefilled as JSON.` });
    return 'json' as const;
  });
  const format = formats[0];
  formats.forEach((other, index) => {
    if (other !== format && index > 0) {
      unsupported.push({ key: `kusto.tables.topics.mapping[${index}].format`, value: entries[index].format ?? 'json', meaning: `A Kastor connector reads one format; topic ${entries[index].topic} is read as ${format} like the first entry. Make a connector of its own for it.` });
    }
  });
  if (format === 'csv') {
    unsupported.push({ key: 'kusto.tables.topics.mapping[0].format', value: 'csv', meaning: 'A CSV mapping names fields by ordinal on the target; choose the field names and header line in the wizard (Sample step) before creating.' });
  }
  entries.forEach((entry, index) => {
    if (entry.topic === '*') {
      unsupported.push({ key: `kusto.tables.topics.mapping[${index}].topic`, value: '*', meaning: 'The sink\'s wildcard for unmapped topics; a Kastor connector names its topics (or a topic pattern), so pick them.' });
    }
  });
  // The sink's `streaming: true` is the SDK's managed streaming client (streaming with a queued
  // fallback); the connector has one mode, so any streaming entry makes it managed.
  const streamed = entries.map((entry) => String(entry.streaming ?? 'false').toLowerCase() === 'true');
  const mode: TIngestionMode = streamed.some(Boolean) ? 'managed' : 'queued';
  streamed.forEach((streaming, index) => {
    if (entries.length > 1 && streaming !== (mode === 'managed')) {
      unsupported.push({ key: `kusto.tables.topics.mapping[${index}].streaming`, value: String(entries[index].streaming ?? 'false'), meaning: `A Kastor connector has one ingestion mode; topic ${entries[index].topic} is ingested in ${mode} mode like the others.` });
    }
  });
  const streamingIndex = streamed.findIndex(Boolean);
  const targetOf = (entry: (typeof entries)[number]) => ({ database: entry.db, table: entry.table, mappingName: entry.mapping ?? `${entry.table}_json_mapping`, columns: [] });
  const named = entries.filter((entry) => entry.topic !== '*');
  const [first, ...others] = named.length > 0 ? named : entries;
  const routes: { topics: string[]; target: ReturnType<typeof targetOf> }[] = [];
  for (const entry of others) {
    if (entry.db === first.db && entry.table === first.table && (entry.mapping ?? null) === (first.mapping ?? null)) continue;
    const route = routes.find((candidate) => candidate.target.database === entry.db && candidate.target.table === entry.table && candidate.target.mappingName === targetOf(entry).mappingName);
    if (route) route.topics.push(entry.topic);
    else routes.push({ topics: [entry.topic], target: targetOf(entry) });
  }
  const connectors: Partial<TConnectorDefinitionInput>[] = [
    {
      name: connectorNameFor(name ?? 'imported'),
      ...(kafkaConnectionId ? { kafkaConnectionId } : {}),
      ...(kustoConnectionId ? { kustoConnectionId } : {}),
      source: { topics: named.map((entry) => entry.topic), startFrom },
      format,
      target: targetOf(first),
      ...(routes.length > 0 ? { routes } : {}),
      ingestion: { mode },
      flush: flushFor(mode, Math.max(0, streamingIndex)),
      errorPolicy,
    },
  ];

  const withheld: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (CARRIED_OVER.has(key)) continue;
    const hidden = mayHoldCredential(key, value);
    if (hidden) withheld.push(key);
    unsupported.push({
      key,
      value: hidden ? HIDDEN : text(value),
      meaning: MEANINGS[key] ?? (key.startsWith('misc.deadletterqueue.') || key.startsWith('consumer.override.') ? 'A Kafka client setting for the sink; Kastor takes Kafka settings from the Kafka connection.' : 'Not a setting Kastor has; it is not carried over.'),
    });
  }
  return { connectors, unsupported, withheld };
}
