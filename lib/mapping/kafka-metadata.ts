/** A record's Kafka coordinates and envelope, as columns see them under `$.__kafka`. */
export interface TKafkaRecordMetadata {
  topic: string;
  partition: number;
  offset: number;
  /** Milliseconds since the epoch, as Kafka stores it. */
  timestampMs: number;
  /** The key as UTF-8 text; null without a key. */
  key: string | null;
  headers: Record<string, string>;
}

/**
 * The object the worker puts under `$.__kafka` in each record (and the wizard's preview too, so
 * what the preview shows is what lands): the key as text and, when it is JSON, parsed (`keyJson`),
 * the timestamp as ISO 8601 text, headers by name (the last value of a repeated header).
 */
export function kafkaMetadataObject(metadata: TKafkaRecordMetadata): Record<string, unknown> {
  let keyJson: unknown = null;
  if (metadata.key !== null) {
    try {
      keyJson = JSON.parse(metadata.key);
    } catch {
      keyJson = null;
    }
  }
  return {
    topic: metadata.topic,
    partition: metadata.partition,
    offset: metadata.offset,
    timestamp: new Date(metadata.timestampMs).toISOString(),
    key: metadata.key,
    keyJson,
    headers: metadata.headers,
  };
}
