'use client';

import type { UseQueryResult } from '@tanstack/react-query';
import { AddConnectionLink } from '../connections/add-connection-link';
import { findDatabase, sameNameOtherCase } from '@/lib/kusto/cluster-catalog';
import { CopyButton } from '../copy-button';
import { useKustoDatabases, useKustoTables } from '../hooks/use-kusto-catalog';
import { useKustoConnections } from '../hooks/use-kusto-connections';
import type { TargetCheck } from '../hooks/use-wizard-target';
import { CatalogCombobox } from './catalog-combobox';
import { LoadingNote, RetryableError, SelectField, StepSection, TextField } from './form-fields';
import type { FieldErrors, WizardDraft } from './wizard-draft';

export function TargetStep({
  draft,
  update,
  errors,
  check,
  editing,
}: {
  draft: WizardDraft;
  update: (change: Partial<WizardDraft>) => void;
  errors: FieldErrors;
  check: UseQueryResult<TargetCheck> | null;
  editing: boolean;
}) {
  const connections = useKustoConnections();
  const databases = useKustoDatabases(draft.kustoConnectionId);
  const database = databases.data ? findDatabase(databases.data, draft.database) : undefined;
  const tables = useKustoTables(draft.kustoConnectionId, database?.name ?? null);
  const admin = connections.data?.find((connection) => connection.id === draft.kustoConnectionId)?.principalRole !== 'INGESTOR';

  return (
    <div className="space-y-4">
      <StepSection title="Connector" description="The name the connector is listed under; it also names its consumer group.">
        <TextField
          id="connector-name"
          label="Connector name"
          value={draft.name}
          disabled={editing}
          onChange={(event) => update({ name: event.target.value })}
          error={errors.name}
          hint={editing ? 'A connector keeps its name; each save is a new revision.' : 'Lowercase letters, digits and "-".'}
          className="max-w-md"
        />
      </StepSection>
      <StepSection
        title="Kusto table"
        description="A new table is created from the columns; an existing one is checked against them."
        actions={<AddConnectionLink kind="kusto" />}
      >
        {connections.isPending && <LoadingNote>Loading Kusto connections…</LoadingNote>}
        {connections.isError && <RetryableError title="Could not load the Kusto connections" error={connections.error} onRetry={() => void connections.refetch()} />}
        {databases.isError && <RetryableError title="Could not list the databases of this cluster" error={databases.error} onRetry={() => void databases.refetch()} />}
        {tables.isError && <RetryableError title={`Could not list the tables of ${database?.name}`} error={tables.error} onRetry={() => void tables.refetch()} />}
        {connections.data && (
          <div className="grid gap-3 sm:grid-cols-2">
            <SelectField
              id="kusto-connection"
              field="kustoConnectionId"
              label="Kusto connection"
              value={draft.kustoConnectionId ?? ''}
              onChange={(event) => update({ kustoConnectionId: event.target.value || null })}
              error={errors.kustoConnectionId}
            >
              <option value="">Choose a connection…</option>
              {connections.data.map((connection) => (
                <option key={connection.id} value={connection.id}>
                  {connection.name} — {connection.clusterUrl}
                </option>
              ))}
            </SelectField>
            <div className="hidden sm:block" />
            <CatalogCombobox
              id="database"
              field="database"
              label="Database"
              value={draft.database}
              onChange={(value) => update({ database: value })}
              options={databases.data?.map((entry) => ({ value: entry.name, detail: entry.prettyName })) ?? null}
              listLabel="Databases on this cluster"
              emptyNote={(typed) => `No database on this cluster is named like ${typed}; Kastor cannot create one.`}
              error={errors.database}
              hint={databaseHint(draft.kustoConnectionId, databases.data?.length, database?.name)}
              placeholder={draft.kustoConnectionId ? 'Choose or type a database' : 'Choose a connection first'}
            />
            <CatalogCombobox
              id="table"
              field="table"
              label="Table"
              value={draft.table}
              onChange={(value) => update({ table: value })}
              options={tables.data?.map((entry) => ({ value: entry.name, detail: entry.folder })) ?? null}
              listLabel={`Tables of ${database?.name ?? 'the database'}`}
              emptyNote={(typed) => `No table named like ${typed}: ${admin ? 'Create makes it' : 'an admin must create it'}.`}
              error={errors.table}
              hint={tables.data ? <TableHint table={draft.table} tables={tables.data.map((entry) => entry.name)} admin={admin} /> : 'A new name creates the table; an existing name uses that table.'}
            />
            <TextField
              id="mapping-name"
              field="mappingName"
              label="JSON ingestion mapping"
              value={draft.mappingName}
              onChange={(event) => update({ mappingName: event.target.value })}
              error={errors.mappingName}
              hint="Created, or replaced if the table already has one by this name."
            />
          </div>
        )}
      </StepSection>
      {check && <TargetCheckPanel check={check} table={draft.table} />}
    </div>
  );
}

function databaseHint(connectionId: string | null, listed: number | undefined, chosen: string | undefined): string {
  if (!connectionId) return 'Listed once a Kusto connection is chosen.';
  if (listed === undefined) return 'Listing the databases…';
  if (chosen) return 'On this cluster.';
  return `${listed} database${listed === 1 ? '' : 's'} on this cluster; it must be one of them — Kastor creates tables, not databases.`;
}

/** Whether the typed table is new (created) or existing (merged into), as the cluster lists its tables. */
function TableHint({ table, tables, admin }: { table: string; tables: string[]; admin: boolean }) {
  if (!table) return <>{tables.length === 0 ? 'The database has no table yet: type a name for a new one.' : 'Choose a table, or type a name for a new one.'}</>;
  if (tables.includes(table)) {
    return (
      <span data-testid="table-state">
        Exists: {admin ? 'Create merges the columns into it (adds the missing ones, keeps its rows)' : 'the columns must match it (an admin adds missing ones)'}.
      </span>
    );
  }
  const other = sameNameOtherCase(tables, table);
  return (
    <span data-testid="table-state">
      New table: {admin ? 'Create makes it with the columns of the Schema step' : 'an admin must create it (the Review step lists the KQL)'}.
      {other && ` Names are case-sensitive: ${other} is another, existing table.`}
    </span>
  );
}

function TargetCheckPanel({ check, table }: { check: UseQueryResult<TargetCheck>; table: string }) {
  if (check.isPending) return <LoadingNote>Reading {table} from the target…</LoadingNote>;
  if (check.isError) return <RetryableError title="Could not read the table from the target" error={check.error} onRetry={() => void check.refetch()} />;
  const result = check.data;
  if (!result.exists) {
    return (
      <p data-testid="target-check" className="rounded-md border border-sky-200 bg-sky-50 px-4 py-3 text-sm text-sky-900">
        <strong className="font-mono">{table}</strong> does not exist yet: Create makes it with the columns of the Schema step.
      </p>
    );
  }
  return (
    <StepSection title={`Existing table ${table}`} description="Read from the target and compared with the columns of the Schema step.">
      <div data-testid="target-check" className="space-y-4 text-sm">
        <div className="grid gap-4 md:grid-cols-2">
          <div>
            <h4 className="font-medium text-slate-800">Columns</h4>
            <ul className="mt-1 font-mono text-xs text-slate-700">
              {result.existingColumns.map((column) => (
                <li key={column.name}>
                  {column.name}: {column.type}
                </li>
              ))}
            </ul>
          </div>
          <div>
            <h4 className="font-medium text-slate-800">Ingestion mappings</h4>
            {result.mappings.length === 0 ? (
              <p className="mt-1 text-xs text-slate-500">None</p>
            ) : (
              <ul className="mt-1 font-mono text-xs text-slate-700">
                {result.mappings.map((mapping) => (
                  <li key={`${mapping.kind}-${mapping.name}`}>
                    {mapping.name} ({mapping.kind})
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
        {result.conflicts.length > 0 && (
          <div role="alert" data-testid="target-conflicts" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-red-900">
            <p className="font-semibold">These columns cannot be written into the existing table:</p>
            <ul className="mt-1 list-disc pl-5">
              {result.conflicts.map((conflict) => (
                <li key={conflict.column}>
                  <span className="font-mono">{conflict.column}</span> is {conflict.existingType} in the table but {conflict.wantedType} here — {conflict.message}
                </li>
              ))}
            </ul>
            <p className="mt-1">Change the column types in the Schema step, or choose another table.</p>
          </div>
        )}
        {result.additions.length > 0 && (
          <div className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-amber-900">
            <p className="font-semibold">
              Create adds {result.additions.length} missing column{result.additions.length === 1 ? '' : 's'}:{' '}
              <span className="font-mono font-normal">{result.additions.map((column) => `${column.name}:${column.type}`).join(', ')}</span>
            </p>
            {result.mergeCommand && (
              <div className="mt-2 flex items-start gap-2">
                <pre className="flex-1 overflow-x-auto rounded bg-white px-2 py-1 font-mono text-xs">{result.mergeCommand}</pre>
                <CopyButton text={result.mergeCommand} label="Copy" />
              </div>
            )}
          </div>
        )}
        {result.conflicts.length === 0 && result.additions.length === 0 && <p className="text-emerald-800">Every column matches the table.</p>}
      </div>
    </StepSection>
  );
}
