/** Collects values bound to `$n` placeholders so no query text is ever spliced into SQL. */
export class SqlParameters {
  readonly values: string[] = [];

  /** A placeholder for a text value, typed explicitly so DuckDB never guesses. */
  text(value: string): string {
    this.values.push(value);
    return `CAST($${this.values.length} AS VARCHAR)`;
  }
}

/** SQL for a bigint the engine computed itself (never user text): safe to inline. */
export function bigintSql(value: bigint): string {
  return `CAST(${value.toString()} AS BIGINT)`;
}
