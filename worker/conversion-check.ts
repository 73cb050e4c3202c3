import { targetsOf, type TConnectorDefinition, type TTarget } from '../lib/connectors/connector-definition';
import { compileColumnSources, type TColumnSource } from '../lib/mapping/apply-json-mapping';
import { convertToKustoType, describeValue } from '../lib/mapping/convert-value';
import { parseJsonLossless } from '../lib/mapping/lossless-json';
import type { TKustoColumnType } from '../lib/mapping/types';
import type { ConversionIssueCount, PipelineEventSink } from './pipeline-events';

/**
 * Records checked per second per pipeline. Checking parses the record again and converts every
 * column, about what the engine spends on it; past this many in a second the rest of that second
 * goes unchecked, so the counts are a lower bound at high rates and the page says how many were checked.
 */
export const CONVERSION_CHECKS_PER_SECOND = 1_000;

/** The column of invalid UTF-8 findings: the whole value, not one field. */
export const WHOLE_VALUE_COLUMN = '(value)';

interface CompiledTarget {
  table: string;
  columns: { name: string; type: TKustoColumnType; source: TColumnSource | null }[];
}

function compileTarget(target: TTarget): CompiledTarget {
  const sources = compileColumnSources(
    target.columns.map((column) => ({ column: column.name, datatype: column.type, path: column.path, transform: column.transform })),
    target.columns,
  );
  return { table: target.table, columns: target.columns.map((column, index) => ({ name: column.name, type: column.type, source: sources[index] })) };
}

/**
 * Counts values that will land as null because they do not fit their column (2^40 into int, a
 * word into real) — ADX ingests those silently — and values that were not valid UTF-8, with the
 * same mapping and conversion code the engine runs. Findings go out once a second as one event.
 */
export class ConversionChecker {
  private readonly targets: Map<string, CompiledTarget>;
  private readonly defaultTarget: CompiledTarget;
  private readonly topicTables = new Map<string, CompiledTarget>();
  private windowStart = 0;
  private checkedInWindow = 0;
  private checked = 0;
  private lastFlush = 0;
  private readonly issues = new Map<string, ConversionIssueCount>();

  constructor(
    private readonly connectorId: string,
    private readonly definition: Pick<TConnectorDefinition, 'target' | 'routes'>,
    private readonly events: PipelineEventSink,
    private readonly perSecond = CONVERSION_CHECKS_PER_SECOND,
  ) {
    this.targets = new Map(targetsOf(definition).map((target) => [target.table, compileTarget(target)]));
    this.defaultTarget = this.targets.get(definition.target.table)!;
    for (const route of definition.routes) for (const topic of route.topics) this.topicTables.set(topic, this.targets.get(route.target.table)!);
  }

  check(topic: string, partition: number, offset: number, line: Buffer, invalidUtf8: boolean): void {
    // No clock read per record: tick() opens each second's window.
    if (this.checkedInWindow >= this.perSecond) return;
    this.checkedInWindow += 1;
    this.checked += 1;
    const target = this.topicTables.get(topic) ?? this.defaultTarget;
    if (invalidUtf8) this.count(target.table, WHOLE_VALUE_COLUMN, 'invalid-utf8', 'string', topic, partition, offset, 'bytes that are not UTF-8 were read as U+FFFD');
    let record: unknown;
    try {
      record = parseJsonLossless(line.toString('utf8'));
    } catch {
      return;
    }
    for (const column of target.columns) {
      if (!column.source) continue;
      const source = column.source(record, {});
      // A missing field is not a conversion; an empty text is how CSV writes "no value" (null in ADX too).
      if (!source.ok || source.value === null || source.value === '') continue;
      const converted = convertToKustoType(source.value, column.type);
      if (!converted.ok) this.count(target.table, column.name, 'did-not-fit', column.type, topic, partition, offset, describeValue(source.value));
    }
  }

  private count(table: string, column: string, kind: ConversionIssueCount['kind'], columnType: string, topic: string, partition: number, offset: number, example: string): void {
    const key = `${table}\u0000${column}\u0000${kind}`;
    const issue = this.issues.get(key);
    if (issue) issue.count += 1;
    else this.issues.set(key, { table, column, kind, columnType, count: 1, example: { topic, partition, offset, value: example } });
  }

  /** Sends what was found since the last call (the pipeline calls it on its flush timer and when it stops). */
  flush(now = Date.now()): void {
    if (this.issues.size > 0) this.events.emit({ type: 'conversions', connectorId: this.connectorId, at: now, checked: this.checked, issues: [...this.issues.values()] });
    this.issues.clear();
    this.checked = 0;
  }

  /**
   * On the pipeline's timer (every ≤ 500 ms): opens a new second of checks (check() reads no clock),
   * and flushes at most once a second, so the reporter gets one event per pipeline per second at most.
   */
  tick(now = Date.now()): void {
    if (now - this.windowStart >= 1_000) {
      this.windowStart = now;
      this.checkedInWindow = 0;
    }
    if (now - this.lastFlush < 1_000) return;
    this.lastFlush = now;
    this.flush(now);
  }
}
