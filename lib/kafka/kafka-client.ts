import 'server-only';
import { Kafka, logLevel, type KafkaConfig, type logCreator, type SASLOptions } from 'kafkajs';
import { decryptSecret } from '../secrets';
import { registerCompressionCodecs } from './compression-codecs';

export interface KafkaConnectionRecord {
  brokers: string[];
  securityProtocol: 'PLAINTEXT' | 'SASL_PLAINTEXT' | 'SASL_SSL' | 'SSL';
  saslMechanism: string | null;
  saslUsername: string | null;
  saslPasswordEnc: string | null;
  tlsCaPem?: string | null;
  tlsClientCertPem?: string | null;
  tlsClientKeyPemEnc?: string | null;
}

/** TLS for SSL and SASL_SSL: the given authority (else the system's), and the client certificate for mTLS. */
function tlsFor(connection: KafkaConnectionRecord, secretKey: string): KafkaConfig['ssl'] {
  if (connection.securityProtocol !== 'SASL_SSL' && connection.securityProtocol !== 'SSL') return false;
  const ca = connection.tlsCaPem ?? undefined;
  const cert = connection.tlsClientCertPem ?? undefined;
  const key = connection.tlsClientKeyPemEnc ? decryptSecret(connection.tlsClientKeyPemEnc, secretKey) : undefined;
  if (!ca && !cert) return true;
  return { ...(ca ? { ca: [ca] } : {}), ...(cert && key ? { cert, key } : {}) };
}

function saslFor(connection: KafkaConnectionRecord, secretKey: string): SASLOptions | undefined {
  if (!connection.securityProtocol.startsWith('SASL')) return undefined;
  const username = connection.saslUsername ?? '';
  const password = connection.saslPasswordEnc ? decryptSecret(connection.saslPasswordEnc, secretKey) : '';
  switch (connection.saslMechanism) {
    case 'SCRAM-SHA-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'SCRAM-SHA-512':
      return { mechanism: 'scram-sha-512', username, password };
    default:
      return { mechanism: 'plain', username, password };
  }
}

/**
 * kafkajs logs transient coordinator errors it retries itself at ERROR level, as JSON; one line
 * per warning keeps the worker's log readable and still shows what persists.
 */
const oneLineLog: logCreator = () => ({ namespace, level, log }) => {
  const { message, error, broker } = log as { message: string; error?: string; broker?: string };
  const levelName = level === logLevel.ERROR ? 'error' : 'warn';
  console.warn(`[kafka ${levelName}] ${namespace}: ${message}${error ? ` — ${error}` : ''}${broker ? ` (${broker})` : ''}`);
};

export function createKafka(connection: KafkaConnectionRecord, secretKey: string, clientId: string): Kafka {
  const config: KafkaConfig = {
    clientId,
    brokers: connection.brokers,
    ssl: tlsFor(connection, secretKey),
    sasl: saslFor(connection, secretKey),
    logLevel: logLevel.WARN,
    logCreator: oneLineLog,
    retry: { retries: 5, initialRetryTime: 200 },
  };
  registerCompressionCodecs();
  return new Kafka(config);
}
