import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors';
import { importKafkaConnect } from '../../lib/import/import-kafka-connect';
import { parseConnectMapping } from '../../lib/import/parse-connect-mapping';
import { GAMEPLAY_CONNECT_CONFIG } from '../support/gameplay-connect-config';


function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the single-quoted topic mapping', () => {
  it('reads single quotes, double quotes and escaped quotes', () => {
    expect(parseConnectMapping(`[{'topic': 'a','db': "d", 'table': 'it\\'s'}]`)).toEqual([{ topic: 'a', db: 'd', table: "it's" }]);
    expect(parseConnectMapping(`[{'note': 'say "hi"'}]`)).toEqual([{ note: 'say "hi"' }]);
  });
});

describe('importing a Kafka Connect Kusto sink configuration', () => {
  it('withholds every key that can carry a credential, by name and by value, and lists them', () => {
    const credentials: Record<string, unknown> = {
      'sasl.oauthbearer.token': 'oauth-token-SECRET-1',
      'aad.auth.credentials': 'aad-credentials-SECRET-2',
      'ssl.keystore.pw': 'keystore-SECRET-3',
      'ssl.truststore.password': 'truststore-SECRET-4',
      'aad.auth.accesstoken': 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJTRUNSRVQtNSJ9.c2lnbmF0dXJl',
      'kusto.query.url': 'https://admin:SECRET-6@mycluster.westeurope.kusto.windows.net',
      'misc.deadletterqueue.bootstrap.servers': 'SASL_SSL://dlq-user:SECRET-7@broker.example.com:9093',
      'misc.deadletterqueue.security.protocol': 'SASL_SSL',
      'consumer.override.sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="SECRET-8";',
      'proxy.host': 'http://proxy-user:SECRET-9@proxy.example.com',
      'connection.url': 'Endpoint=sb://hub.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=SECRET-10',
      'nested.value': { inner: { password: 'SECRET-11' } },
    };
    const result = importKafkaConnect({ config: { 'kusto.tables.topics.mapping': "[{'topic':'a','db':'d','table':'T'}]", ...credentials } });
    const text = JSON.stringify(result);
    for (let index = 1; index <= 11; index += 1) expect(text).not.toContain(`SECRET-${index}`);
    expect(text).not.toContain('oauth-token');
    expect(result.withheld.sort()).toEqual(Object.keys(credentials).filter((key) => key !== 'misc.deadletterqueue.security.protocol').sort());
    expect(result.unsupported.find((entry) => entry.key === 'misc.deadletterqueue.security.protocol')?.value).toBe('SASL_SSL');
  });

  it('gives the gameplay connector of the reference scenario', () => {
    const kafkaConnectionId = '00000000-0000-4000-8000-000000000001';
    const { connectors } = importKafkaConnect({ config: GAMEPLAY_CONNECT_CONFIG, kafkaConnectionId });
    expect(connectors).toEqual([
      {
        name: 'gameplay-to-adx',
        kafkaConnectionId,
        source: { topics: ['gameplay'], startFrom: 'earliest' },
        format: 'json',
        target: { database: 'gamesdb', table: 'GamePlay', mappingName: 'gameplay_json_mapping', columns: [] },
        ingestion: { mode: 'queued' },
        flush: { maxBytes: 1_048_576, maxAgeMs: 30_000 },
        errorPolicy: { onDecodeError: 'fail' },
      },
    ]);
  });

  it('lists the keys that do not carry over with their meaning, and never echoes a secret', () => {
    const result = importKafkaConnect({ config: JSON.parse(GAMEPLAY_CONNECT_CONFIG) });
    const byKey = Object.fromEntries(result.unsupported.map((entry) => [entry.key, entry]));
    expect(Object.keys(byKey).sort()).toEqual(
      ['aad.auth.appid', 'aad.auth.appkey', 'aad.auth.authority', 'kusto.ingestion.url', 'kusto.query.url', 'sasl.jaas.config', 'sasl.mechanism', 'security.protocol', 'tasks.max', 'value.converter'].sort(),
    );
    expect(byKey['tasks.max'].meaning).toMatch(/consumer group/);
    expect(byKey['aad.auth.appkey'].value).toBe('(may hold a credential, not shown)');
    expect(byKey['sasl.jaas.config'].value).toBe('(may hold a credential, not shown)');
    expect(result.withheld.sort()).toEqual(['aad.auth.appkey', 'sasl.jaas.config']);
    expect(JSON.stringify(result)).not.toContain('<secret>');
  });

  it('makes one connector that routes each mapped topic to its table, with a dead-letter policy when the sink had one', () => {
    const { connectors, unsupported } = importKafkaConnect({
      config: {
        name: 'Many Topics',
        'kusto.tables.topics.mapping': "[{'topic':'a','db':'db1','table':'A'},{'topic':'b','db':'db1','table':'B','format':'csv','streaming':'true'},{'topic':'c','db':'db1','table':'B'}]",
        'behavior.on.error': 'log',
        'misc.deadletterqueue.topic.name': 'sink-dlq',
        'flush.size.bytes': '104857600',
      },
    });
    expect(connectors).toHaveLength(1);
    const [connector] = connectors;
    expect(connector.name).toBe('many-topics');
    expect(connector.source).toEqual({ topics: ['a', 'b', 'c'], startFrom: 'earliest' });
    expect(connector.target).toEqual({ database: 'db1', table: 'A', mappingName: 'A_json_mapping', columns: [] });
    // Topics of one table share a route; the first entry's table takes every topic no route names.
    expect(connector.routes).toEqual([{ topics: ['b', 'c'], target: { database: 'db1', table: 'B', mappingName: 'B_json_mapping', columns: [] } }]);
    // The sink's streaming flag means its managed streaming client; one entry streaming makes the connector managed.
    expect(connector.ingestion).toEqual({ mode: 'managed' });
    expect(connector.errorPolicy).toEqual({ onDecodeError: 'dlq', dlqTopic: 'sink-dlq' });
    // A streaming request carries at most 4 MB.
    expect(connector.flush).toEqual({ maxBytes: 4 * 1024 * 1024 });
    expect(unsupported.map((entry) => entry.key)).toEqual([
      'kusto.tables.topics.mapping[1].format',
      'kusto.tables.topics.mapping[0].streaming',
      'kusto.tables.topics.mapping[2].streaming',
      'kusto.tables.topics.mapping[1].streaming',
    ]);
  });

  it('refuses other connectors and unreadable mappings, naming the field', () => {
    expect(refusal(() => importKafkaConnect({ config: { 'connector.class': 'io.confluent.connect.s3.S3SinkConnector' } })).issues[0].field).toBe('config.connector.class');
    expect(refusal(() => importKafkaConnect({ config: { 'kusto.tables.topics.mapping': "[{'topic': 'a'" } })).issues[0].field).toBe('config.kusto.tables.topics.mapping');
    expect(refusal(() => importKafkaConnect({ config: '{not json' })).issues[0].field).toBe('config');
  });
});
