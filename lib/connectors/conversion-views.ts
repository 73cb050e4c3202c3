/** One column's values that landed as null because they did not fit its type, or records with invalid UTF-8. */
export interface ConversionIssueView {
  table: string;
  column: string;
  kind: 'did-not-fit' | 'invalid-utf8';
  columnType: string;
  count: number;
  /** Records the workers checked in the minutes that had findings (a budget per second, see ARCHITECTURE.md). */
  checked: number;
  example: { topic: string; partition: number; offset: number; value: string };
  lastSeenAt: string;
}
