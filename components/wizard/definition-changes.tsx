'use client';

import type { ValueChange } from '@/lib/config/config-document';

function shown(value: unknown): string {
  return value === null ? '(none)' : JSON.stringify(value);
}

/** What an edit changes against the revision it was opened at, one definition field a line. */
export function DefinitionChanges({ changes, revision }: { changes: ValueChange[]; revision: number }) {
  if (changes.length === 0) {
    return (
      <p data-testid="definition-changes" data-count={0} className="text-sm text-slate-600">
        No changes against revision {revision}; there is nothing to save.
      </p>
    );
  }
  return (
    <ul data-testid="definition-changes" data-count={changes.length} className="space-y-1 font-mono text-xs">
      {changes.map((change) => (
        <li key={change.path} data-testid="definition-change" data-path={change.path} className="break-all">
          <span className="font-semibold text-slate-800">{change.path}</span>: <span className="text-red-800 line-through">{shown(change.before)}</span> →{' '}
          <span className="text-emerald-800">{shown(change.after)}</span>
        </li>
      ))}
    </ul>
  );
}
