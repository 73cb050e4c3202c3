'use client';

import { useDeferredValue } from 'react';
import { usesKafkaMetadata, type TCsvOptions } from '@/lib/connectors/connector-definition';
import { useMappingPreview, type PreviewRow, type PreviewValue, type SampleMetadata } from '../hooks/use-wizard-schema';
import { LoadingNote, RetryableError, StepSection } from './form-fields';
import { toColumns, type ColumnDraft } from './wizard-draft';

/** The sample as rows of the target table; a cell that would be null says why. */
export function MappingPreview({
  columns,
  samples,
  format,
  csv,
  metadata,
  columnsValid,
}: {
  columns: ColumnDraft[];
  samples: string[];
  /** Avro samples come decoded, as JSON. */
  format: 'json' | 'csv';
  csv?: TCsvOptions;
  metadata: SampleMetadata[];
  columnsValid: boolean;
}) {
  // Typing a column name should not send a request per keystroke ahead of the typing itself.
  const deferredColumns = useDeferredValue(columns);
  const mapped = toColumns(deferredColumns);
  const usesMetadata = usesKafkaMetadata(mapped);
  const input =
    columnsValid && deferredColumns.length > 0 && samples.length > 0
      ? { samples, format, columns: mapped, ...(csv ? { csv } : {}), ...(usesMetadata ? { metadata } : {}) }
      : null;
  const preview = useMappingPreview(input);
  const rows = preview.data;
  const nullCount = rows?.reduce((total, row) => total + row.nulls.length, 0) ?? 0;

  return (
    <StepSection
      title="Preview"
      description={
        rows && nullCount > 0
          ? `${nullCount} cells would be null; they are highlighted with the reason.`
          : 'The sample messages as they would land in the table.'
      }
    >
      {!input && <p className="text-sm text-slate-600">The preview resumes once every column is valid.</p>}
      {input && preview.isPending && <LoadingNote>Mapping the sample…</LoadingNote>}
      {input && preview.isError && <RetryableError title="Could not compute the preview" error={preview.error} onRetry={() => void preview.refetch()} />}
      {input && rows && (
        <div className={`overflow-x-auto ${preview.isPlaceholderData ? 'opacity-60' : ''}`}>
          <table data-testid="mapping-preview" className="w-full text-xs">
            <thead>
              <tr className="border-b border-slate-200 text-left">
                {input.columns.map((column) => (
                  <th key={column.name} scope="col" className="py-2 pr-3 font-mono font-semibold whitespace-nowrap text-slate-800">
                    {column.name} <span className="font-normal text-slate-500">{column.type}</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((row, index) => (
                <PreviewTableRow key={index} row={row} columnNames={input.columns.map((column) => column.name)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </StepSection>
  );
}

function PreviewTableRow({ row, columnNames }: { row: PreviewRow; columnNames: string[] }) {
  return (
    <tr>
      {columnNames.map((name, index) => {
        const value = row.values[index] ?? null;
        const reason = row.nulls.find((cell) => cell.column === name)?.reason;
        return value === null ? (
          <td key={name} data-testid="preview-null" className="bg-amber-50 py-1.5 pr-3 align-top font-mono text-amber-900">
            null
            {reason && <span className="block font-sans text-[11px] text-amber-800">{reason}</span>}
          </td>
        ) : (
          <td key={name} className="py-1.5 pr-3 align-top font-mono whitespace-nowrap text-slate-800">
            {showCell(value)}
          </td>
        );
      })}
    </tr>
  );
}

function showCell(value: PreviewValue): string {
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
