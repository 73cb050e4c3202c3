import { z } from 'zod';
import { parseEnv } from '../lib/env';

const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** The benchmark's sizes; every one settable from the environment, parsed once at start-up. */
export const ZBenchEnv = z.object({
  /** Gameplay events produced once and consumed by every throughput phase. */
  BENCH_EVENTS: count(200_000),
  BENCH_PARTITIONS: count(4),
  /** Streaming latency phase: events per second and for how long. */
  BENCH_LATENCY_RATE: count(10_000),
  BENCH_LATENCY_SECONDS: count(10),
  /** Queued latency phase (reference batching policy 00:00:10 / 5 items / 100 MB). */
  BENCH_QUEUED_LATENCY_RATE: count(1_000),
  BENCH_QUEUED_LATENCY_SECONDS: count(20),
  /** Connectors running at once in the multi-connector phase; BENCH_EVENTS is split between their topics. */
  BENCH_CONNECTORS: count(10),
  /** A phase that has not finished by then is reported as failed and the next one starts. */
  BENCH_PHASE_TIMEOUT_SECONDS: count(300),
  /** Control plane: connectors seeded in Postgres, each on one of BENCH_CONTROL_PLANE_TOPICS topics of this many partitions. */
  BENCH_CONTROL_PLANE_CONNECTORS: count(1_000),
  BENCH_CONTROL_PLANE_PARTITIONS: count(12),
  BENCH_CONTROL_PLANE_TOPICS: count(10),
  /** Metric samples of history per connector (one a second, as the worker writes them). */
  BENCH_CONTROL_PLANE_SAMPLES: count(600),
  /** Timed calls of the overview API, and timed lag cycles after the first. */
  BENCH_OVERVIEW_CALLS: count(20),
  BENCH_LAG_CYCLES: count(5),
  /** Comma-separated phase keys (or their prefixes, e.g. control-plane) to run; every phase when unset. */
  BENCH_ONLY: z
    .string()
    .optional()
    .transform((value) => value?.split(',').map((name) => name.trim()).filter(Boolean) ?? []),
});
export type TBenchEnv = z.infer<typeof ZBenchEnv>;

export function parseBenchEnv(source: Record<string, string | undefined>): TBenchEnv {
  return parseEnv(ZBenchEnv, source);
}
