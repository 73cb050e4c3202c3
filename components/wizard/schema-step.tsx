'use client';

import { useEffect } from 'react';
import { DATETIME_TRANSFORMS, type TColumn } from '@/lib/connectors/connector-definition';
import { metadataColumnSuggestions } from '@/lib/connectors/metadata-columns';
import { KQL_TYPES, type TKqlType } from '@/lib/kql/identifiers';
import { useInferColumns, type SampleMetadata } from '../hooks/use-wizard-schema';
import { Spinner } from '../spinner';
import { controlClass, FieldMessage, LoadingNote, RetryableError, SECONDARY_BUTTON, SelectField, StepSection } from './form-fields';
import { MappingPreview } from './mapping-preview';
import { newColumnKey, toColumnDrafts, type ColumnDraft, type FieldErrors, type WizardDraft } from './wizard-draft';

const NESTED_DEPTHS = [
  { value: 0, label: 'Keep nested objects as dynamic' },
  { value: 1, label: 'Flatten one level' },
  { value: 2, label: 'Flatten two levels' },
  { value: 3, label: 'Flatten three levels' },
];

export function SchemaStep({
  draft,
  update,
  samples,
  metadata,
  avroSchema,
  errors,
  columnsValid,
}: {
  draft: WizardDraft;
  update: (change: Partial<WizardDraft> | ((draft: WizardDraft) => Partial<WizardDraft>)) => void;
  samples: string[];
  /** Each sample's Kafka coordinates, key and headers, in the samples' order. */
  metadata: SampleMetadata[];
  /** Avro: the registry's schema of the newest record, which types the columns. */
  avroSchema: string | null;
  /** The errors shown are only those of touched fields; the preview waits for every column to be valid. */
  errors: FieldErrors;
  columnsValid: boolean;
}) {
  const infer = useInferColumns();
  const { mutate } = infer;
  const stale = draft.columnsInferredFrom !== draft.topic;
  const ready = draft.format === 'avro' ? avroSchema !== null : samples.length > 0;

  function inferColumns(nestedDepth: number) {
    mutate(
      {
        samples,
        format: draft.format,
        nestedDepth,
        ...(draft.format === 'csv' ? { csv: draft.csv } : {}),
        ...(draft.format === 'avro' && avroSchema ? { avroSchema } : {}),
      },
      { onSuccess: (columns) => update({ columns: toColumnDrafts(columns), columnsInferredFrom: draft.topic, nestedDepth }) },
    );
  }

  // A newly chosen topic gets a fresh suggestion; columns the user already edited for this topic are kept.
  useEffect(() => {
    if (stale && ready && infer.isIdle) inferColumns(draft.nestedDepth);
  });

  function changeColumn(key: string, change: Partial<ColumnDraft>) {
    update((current) => ({ columns: current.columns.map((column) => (column.key === key ? { ...column, ...change } : column)) }));
  }

  return (
    <div className="space-y-4">
      <StepSection
        title="Columns"
        description={SOURCE_DESCRIPTIONS[draft.format]}
        actions={
          <>
            <SelectField
              id="nested-depth"
              label="Nested objects"
              value={String(draft.nestedDepth)}
              onChange={(event) => update({ nestedDepth: Number(event.target.value) })}
              className="[&_label]:sr-only"
            >
              {NESTED_DEPTHS.map((depth) => (
                <option key={depth.value} value={depth.value}>
                  {depth.label}
                </option>
              ))}
            </SelectField>
            <button type="button" onClick={() => inferColumns(draft.nestedDepth)} disabled={infer.isPending || !ready} className={`${SECONDARY_BUTTON} mt-1`}>
              {infer.isPending && <Spinner />}
              Infer again
            </button>
          </>
        }
      >
        {infer.isPending && stale && <LoadingNote>Inferring columns from {samples.length} messages…</LoadingNote>}
        {infer.isError && <RetryableError title="Could not infer the columns" error={infer.error} onRetry={() => inferColumns(draft.nestedDepth)} />}
        {!(infer.isPending && stale) && (
          <ColumnEditor
            columns={draft.columns}
            errors={errors}
            onChange={changeColumn}
            onRemove={(key) => update((current) => ({ columns: current.columns.filter((column) => column.key !== key) }))}
            onAdd={() =>
              update((current) => ({ columns: [...current.columns, { key: newColumnKey(), name: '', type: 'string', path: '$.', transform: '' }] }))
            }
          />
        )}
      </StepSection>
      <KafkaMetadataColumns draft={draft} update={update} headerNames={metadata.flatMap((entry) => Object.keys(entry.headers))} />
      <MappingPreview
        columns={draft.columns}
        samples={samples}
        format={draft.format === 'csv' ? 'csv' : 'json'}
        csv={draft.format === 'csv' ? draft.csv : undefined}
        metadata={metadata}
        columnsValid={columnsValid}
      />
    </div>
  );
}

const SOURCE_DESCRIPTIONS: Record<WizardDraft['format'], string> = {
  json: 'Each column takes its value from a JSONPath in the message. Edit, remove or add columns; the preview below follows.',
  csv: 'Each CSV field is read by its name ($.name, the header line or field1…n) and converted to the column type. Edit, remove or add columns; the preview below follows.',
  avro: 'Columns come from the Avro schema in the registry; logical types map to datetime, decimal and guid. Edit, remove or add columns; the preview below follows.',
};

/**
 * The record's Kafka metadata as columns: checking one adds the column with the usual name and
 * type (unchecking removes it); the worker adds the values under `$.__kafka`.
 */
function KafkaMetadataColumns({
  draft,
  update,
  headerNames,
}: {
  draft: WizardDraft;
  update: (change: Partial<WizardDraft> | ((draft: WizardDraft) => Partial<WizardDraft>)) => void;
  headerNames: string[];
}) {
  const suggestions = metadataColumnSuggestions(headerNames);
  function toggle(column: TColumn, on: boolean) {
    update((current) => ({
      columns: on
        ? [...current.columns, ...toColumnDrafts([column])]
        : current.columns.filter((existing) => existing.path !== column.path),
    }));
  }
  return (
    <StepSection title="Kafka metadata" description="Store the record's coordinates, key and headers with each row (offset and timestamp also make duplicates and ordering checkable).">
      <ul data-testid="metadata-columns" className="grid gap-x-6 gap-y-1.5 text-sm sm:grid-cols-2 lg:grid-cols-3">
        {suggestions.map(({ label, column }) => {
          const checked = draft.columns.some((existing) => existing.path === column.path);
          return (
            <li key={column.path}>
              <label className="flex items-center gap-2">
                <input type="checkbox" aria-label={label} checked={checked} onChange={(event) => toggle(column, event.target.checked)} />
                <span>{label}</span>
                <span className="font-mono text-xs text-slate-500">
                  {column.name}:{column.type}
                </span>
              </label>
            </li>
          );
        })}
      </ul>
    </StepSection>
  );
}

function ColumnEditor({
  columns,
  errors,
  onChange,
  onRemove,
  onAdd,
}: {
  columns: ColumnDraft[];
  errors: FieldErrors;
  onChange: (key: string, change: Partial<ColumnDraft>) => void;
  onRemove: (key: string) => void;
  onAdd: () => void;
}) {
  return (
    <div className="space-y-3">
      <div className="overflow-x-auto">
        <table className="w-full min-w-[40rem] text-sm">
          <thead>
            <tr className="border-b border-slate-200 text-left text-xs font-medium tracking-wide text-slate-500 uppercase">
              <th className="w-1/4 py-2 pr-2 font-medium">Column</th>
              <th className="w-32 py-2 pr-2 font-medium">KQL type</th>
              <th className="py-2 pr-2 font-medium">Source JSONPath</th>
              <th className="w-60 py-2 pr-2 font-medium">Transform</th>
              <th className="w-10 py-2 font-medium">
                <span className="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {columns.map((column, index) => (
              <ColumnRow key={column.key} column={column} index={index} errors={errors} onChange={onChange} onRemove={onRemove} />
            ))}
          </tbody>
        </table>
      </div>
      <FieldMessage id="columns" error={errors.columns} />
      <button type="button" onClick={onAdd} className={SECONDARY_BUTTON}>
        Add column
      </button>
    </div>
  );
}

function ColumnRow({
  column,
  index,
  errors,
  onChange,
  onRemove,
}: {
  column: ColumnDraft;
  index: number;
  errors: FieldErrors;
  onChange: (key: string, change: Partial<ColumnDraft>) => void;
  onRemove: (key: string) => void;
}) {
  const id = `column-${index}`;
  const label = column.name || `column ${index + 1}`;
  const nameError = errors[`columns.${index}.name`];
  const pathError = errors[`columns.${index}.path`];
  const transformError = errors[`columns.${index}.transform`];
  return (
    <tr data-testid={`column-row-${index}`} className="align-top">
      <td className="py-1.5 pr-2">
        <input
          id={`${id}-name`}
          data-field={`columns.${index}.name`}
          aria-label={`Name of ${label}`}
          aria-invalid={nameError ? true : undefined}
          aria-describedby={nameError ? `${id}-name-message` : undefined}
          value={column.name}
          onChange={(event) => onChange(column.key, { name: event.target.value })}
          className={`${controlClass(nameError)} font-mono`}
        />
        <FieldMessage id={`${id}-name`} error={nameError} />
      </td>
      <td className="py-1.5 pr-2">
        <select
          aria-label={`Type of ${label}`}
          value={column.type}
          onChange={(event) => onChange(column.key, { type: event.target.value as TKqlType })}
          className={`${controlClass(undefined)} font-mono`}
        >
          {KQL_TYPES.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </td>
      <td className="py-1.5 pr-2">
        <input
          id={`${id}-path`}
          data-field={`columns.${index}.path`}
          aria-label={`JSONPath of ${label}`}
          aria-invalid={pathError ? true : undefined}
          aria-describedby={pathError ? `${id}-path-message` : undefined}
          value={column.path}
          onChange={(event) => onChange(column.key, { path: event.target.value })}
          className={`${controlClass(pathError)} font-mono`}
        />
        <FieldMessage id={`${id}-path`} error={pathError} />
      </td>
      <td className="py-1.5 pr-2">
        <select
          id={`${id}-transform`}
          data-field={`columns.${index}.transform`}
          aria-label={`Transform of ${label}`}
          aria-invalid={transformError ? true : undefined}
          value={column.transform}
          onChange={(event) => onChange(column.key, { transform: event.target.value as ColumnDraft['transform'] })}
          className={controlClass(transformError)}
        >
          <option value="">None</option>
          {DATETIME_TRANSFORMS.map((transform) => (
            <option key={transform} value={transform}>
              {transform}
            </option>
          ))}
        </select>
        <FieldMessage id={`${id}-transform`} error={transformError} />
      </td>
      <td className="py-1.5">
        <button
          type="button"
          aria-label={`Remove ${label}`}
          onClick={() => onRemove(column.key)}
          className="rounded-md px-2 py-1.5 text-sm text-slate-500 hover:bg-red-50 hover:text-red-700"
        >
          ✕
        </button>
      </td>
    </tr>
  );
}
