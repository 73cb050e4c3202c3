'use client';

import { useEffect } from 'react';
import { DATETIME_TRANSFORMS } from '@/lib/connectors/connector-definition';
import { KQL_TYPES, type TKqlType } from '@/lib/kql/identifiers';
import { useInferColumns } from '../hooks/use-wizard-schema';
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
  errors,
}: {
  draft: WizardDraft;
  update: (change: Partial<WizardDraft> | ((draft: WizardDraft) => Partial<WizardDraft>)) => void;
  samples: string[];
  errors: FieldErrors;
}) {
  const infer = useInferColumns();
  const { mutate } = infer;
  const stale = draft.columnsInferredFrom !== draft.topic;

  function inferColumns(nestedDepth: number) {
    mutate(
      { samples, format: 'json', nestedDepth },
      { onSuccess: (columns) => update({ columns: toColumnDrafts(columns), columnsInferredFrom: draft.topic, nestedDepth }) },
    );
  }

  // A newly chosen topic gets a fresh suggestion; columns the user already edited for this topic are kept.
  useEffect(() => {
    if (stale && samples.length > 0 && infer.isIdle) inferColumns(draft.nestedDepth);
  });

  function changeColumn(key: string, change: Partial<ColumnDraft>) {
    update((current) => ({ columns: current.columns.map((column) => (column.key === key ? { ...column, ...change } : column)) }));
  }

  return (
    <div className="space-y-4">
      <StepSection
        title="Columns"
        description="Each column takes its value from a JSONPath in the message. Edit, remove or add columns; the preview below follows."
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
            <button type="button" onClick={() => inferColumns(draft.nestedDepth)} disabled={infer.isPending || samples.length === 0} className={`${SECONDARY_BUTTON} mt-1`}>
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
      <MappingPreview columns={draft.columns} samples={samples} columnsValid={Object.keys(errors).length === 0} />
    </div>
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
