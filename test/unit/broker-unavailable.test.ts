import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { isBrokerUnavailable } from '../../lib/kafka/broker-error';

// kafkajs's own error classes, as its consumer crashes with them.
const errors = createRequire(import.meta.url)('kafkajs/src/errors.js');

describe('a Kafka failure worth trying again', () => {
  it('is the brokers out of reach or between coordinators, also inside kafkajs\'s wrappers; never a refused sign-in', () => {
    const coordinator = new errors.KafkaJSGroupCoordinatorNotFound('Failed to find group coordinator');
    expect(isBrokerUnavailable(new errors.KafkaJSNonRetriableError('Failed to find group coordinator'))).toBe(true);
    expect(isBrokerUnavailable(new errors.KafkaJSNonRetriableError('wrapped', { cause: coordinator }))).toBe(true);
    expect(isBrokerUnavailable(new errors.KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092'))).toBe(true);
    expect(isBrokerUnavailable(new errors.KafkaJSSASLAuthenticationError('SASL PLAIN authentication failed: Authentication failed'))).toBe(false);
    expect(isBrokerUnavailable(new errors.KafkaJSNonRetriableError('Not authorized to access group'))).toBe(false);
    expect(isBrokerUnavailable(new Error('Unexpected end of JSON input'))).toBe(false);
    expect(isBrokerUnavailable(undefined)).toBe(false);
  });
});
