import type { Producer } from 'kafkajs';
import type { TConnectorDefinitionInput } from '../connectors/connector-definition';

/** The reference scenario: one event per player interaction, keyed by player id. */
export const GAMEPLAY_TOPIC = 'gameplay';
export const GAMEPLAY_PARTITIONS = 4;

export interface GameplayEvent {
  playerId: number;
  gameId: number;
  win: number;
  score: number;
  /** UTC, `yyyy-MM-dd HH:mm:ss.fff`. */
  eventTime: string;
}

export const REFERENCE_EVENTS: GameplayEvent[] = [
  { playerId: 33, gameId: 23, win: 55, score: 123, eventTime: '2021-10-24 04:14:39.572' },
  { playerId: 34, gameId: 27, win: 0, score: 99, eventTime: '2021-10-27 07:56:39.572' },
  { playerId: 38, gameId: 27, win: 0, score: 99, eventTime: '2021-10-27 07:56:39.572' },
  { playerId: 45, gameId: 17, win: 10, score: 103, eventTime: '2021-10-27 07:56:39.572' },
];

export function gameplayConnectorDefinition(ids: { kafkaConnectionId: string; kustoConnectionId: string }, overrides: Partial<TConnectorDefinitionInput> = {}): TConnectorDefinitionInput {
  return {
    name: 'gameplay',
    ...ids,
    source: { topics: [GAMEPLAY_TOPIC], startFrom: 'earliest' },
    format: 'json',
    target: {
      database: 'gamesdb',
      table: 'GamePlay',
      mappingName: 'gameplay_json_mapping',
      columns: [
        { name: 'PlayerID', type: 'int', path: '$.playerId' },
        { name: 'GameID', type: 'int', path: '$.gameId' },
        { name: 'Win', type: 'long', path: '$.win' },
        { name: 'Score', type: 'int', path: '$.score' },
        { name: 'EventTime', type: 'datetime', path: '$.eventTime' },
      ],
    },
    ingestion: {
      mode: 'streaming',
      batching: { maxBatchingTimeSpan: '00:00:10', maxItems: 5, maxRawDataSizeMb: 100 },
    },
    flush: { maxRecords: 5_000, maxBytes: 1024 * 1024, maxAgeMs: 500 },
    errorPolicy: { onDecodeError: 'skip' },
    ...overrides,
  };
}

function formatEventTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/** A plausible random event; `id` makes every event distinguishable in the target. */
export function randomGameplayEvent(now = new Date()): GameplayEvent {
  return {
    playerId: 1 + Math.floor(Math.random() * 500),
    gameId: 1 + Math.floor(Math.random() * 40),
    win: Math.random() < 0.6 ? 0 : Math.floor(Math.random() * 200),
    score: Math.floor(Math.random() * 1000),
    eventTime: formatEventTime(now),
  };
}

export function toKafkaMessage(event: GameplayEvent) {
  return { key: String(event.playerId), value: JSON.stringify(event) };
}

/**
 * Produces events at a steady rate until the signal aborts; the demo's live traffic. Returns the
 * number produced.
 */
export async function produceSteadily(producer: Producer, eventsPerSecond: number, signal: AbortSignal, onSent?: (total: number) => void): Promise<number> {
  const tickMs = 250;
  const perTick = Math.max(1, Math.round((eventsPerSecond * tickMs) / 1000));
  let total = 0;
  while (!signal.aborted) {
    const started = Date.now();
    const messages = Array.from({ length: perTick }, () => toKafkaMessage(randomGameplayEvent()));
    await producer.send({ topic: GAMEPLAY_TOPIC, messages });
    total += perTick;
    onSent?.(total);
    const wait = tickMs - (Date.now() - started);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return total;
}
