import type { TSampleLayout } from '../mapping/sample-layout';
import type { SampledMessage } from './read-partition-messages';

/** `GET /api/connections/kafka/:id/topics/:topic/sample`: the newest messages and what they are. Client-safe. */
export interface WizardSampleMessage extends SampledMessage {
  /** Avro: the value decoded with its writer's schema, as the JSON the worker would map; null when it could not be. */
  decoded?: string | null;
  decodeError?: string;
}

export interface WizardSample extends TSampleLayout {
  messages: WizardSampleMessage[];
}
