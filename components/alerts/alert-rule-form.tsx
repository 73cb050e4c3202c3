'use client';

import { useId, useState } from 'react';
import {
  ALERT_CONDITION_LABELS,
  ALERT_CONDITIONS,
  ALERTABLE_HEALTH,
  WEBHOOK_FORMAT_LABELS,
  WEBHOOK_FORMATS,
  ZAlertRuleInput,
  ZAlertRuleUpdate,
  type AlertRuleView,
  type TAlertCondition,
  type TAlertRuleInput,
  type TWebhookFormat,
} from '@/lib/alerts/alert-rule-definition';
import { fieldErrors } from '../connections/field-errors';
import { ErrorBanner } from '../error-banner';
import { ApiError } from '../hooks/fetch-json';
import { useCreateAlertRule, useUpdateAlertRule } from '../hooks/use-alert-rules';
import { useConnectors } from '../hooks/use-connectors';
import { Spinner } from '../spinner';
import { FieldMessage, PRIMARY_BUTTON, SECONDARY_BUTTON, SelectField, TextField } from '../wizard/form-fields';

const ALL_CONNECTORS = '';

/** Adds or edits an alert rule; on an edit a blank webhook URL keeps the stored one. */
export function AlertRuleForm({ rule, onDone }: { rule: AlertRuleView | null; onDone: () => void }) {
  const prefix = useId();
  const id = (field: string) => `${prefix}-${field}`;
  const connectors = useConnectors();
  const create = useCreateAlertRule();
  const update = useUpdateAlertRule(rule?.id ?? '');
  const save = rule ? update : create;
  const [name, setName] = useState(rule?.name ?? '');
  const [connectorId, setConnectorId] = useState(rule?.connector?.id ?? ALL_CONNECTORS);
  const [condition, setCondition] = useState<TAlertCondition>(rule?.condition ?? 'HEALTH');
  const [healthStatuses, setHealthStatuses] = useState<string[]>(rule?.healthStatuses ?? ['STALL', 'STOP', 'ERROR']);
  const [threshold, setThreshold] = useState(rule?.threshold?.toString() ?? '');
  const [forMinutes, setForMinutes] = useState(rule?.forMinutes.toString() ?? '0');
  const [format, setFormat] = useState<TWebhookFormat>(rule?.format ?? 'JSON');
  const [webhookUrl, setWebhookUrl] = useState('');
  const [sendResolved, setSendResolved] = useState(rule?.sendResolved ?? true);
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  const [submitted, setSubmitted] = useState(false);

  const usesThreshold = condition === 'LAG_SECONDS' || condition === 'INGESTION_FAILURES';
  const input: TAlertRuleInput = {
    name,
    connectorId: connectorId || null,
    condition,
    healthStatuses: condition === 'HEALTH' ? (healthStatuses as TAlertRuleInput['healthStatuses']) : [],
    threshold: usesThreshold && threshold.trim() !== '' ? Number(threshold) : null,
    forMinutes: Number(forMinutes || 0),
    format,
    webhookUrl,
    sendResolved,
    enabled,
  };
  const schema = rule ? ZAlertRuleUpdate : ZAlertRuleInput;
  const errors = fieldErrors(schema, input, submitted, save.error);

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (!schema.safeParse(input).success) return;
    save.mutate(input, { onSuccess: onDone });
  }

  const toggleStatus = (status: string) =>
    setHealthStatuses((current) => (current.includes(status) ? current.filter((entry) => entry !== status) : [...current, status]));

  return (
    <form onSubmit={submit} noValidate aria-label={rule ? `Edit alert rule ${rule.name}` : 'New alert rule'} className="space-y-4 rounded-lg border border-sky-200 bg-sky-50/40 p-4">
      <h3 className="text-sm font-semibold text-slate-900">{rule ? `Edit alert rule ${rule.name}` : 'New alert rule'}</h3>
      <div className="grid gap-3 md:grid-cols-2">
        <TextField id={id('name')} label="Name" value={name} onChange={(event) => setName(event.target.value)} error={errors.name} placeholder="gameplay stalled" />
        <SelectField id={id('connector')} label="Connector" value={connectorId} onChange={(event) => setConnectorId(event.target.value)} error={errors.connectorId}>
          <option value={ALL_CONNECTORS}>Every connector</option>
          {connectors.data?.map((connector) => (
            <option key={connector.id} value={connector.id}>
              {connector.name}
            </option>
          ))}
        </SelectField>
        <SelectField id={id('condition')} label="Condition" value={condition} onChange={(event) => setCondition(event.target.value as TAlertCondition)}>
          {ALERT_CONDITIONS.map((entry) => (
            <option key={entry} value={entry}>
              {ALERT_CONDITION_LABELS[entry]}
            </option>
          ))}
        </SelectField>
        {condition === 'HEALTH' && (
          <fieldset>
            <legend className="block text-sm font-medium text-slate-800">Health statuses that fire</legend>
            <div className="mt-2 flex flex-wrap gap-3" aria-describedby={`${id('statuses')}-message`}>
              {ALERTABLE_HEALTH.map((status) => (
                <label key={status} className="flex items-center gap-1.5 text-sm text-slate-800">
                  <input type="checkbox" checked={healthStatuses.includes(status)} onChange={() => toggleStatus(status)} />
                  {status}
                </label>
              ))}
            </div>
            <FieldMessage id={id('statuses')} error={errors.healthStatuses} hint="Burrow-style evaluation over the last 10 metric cycles." />
          </fieldset>
        )}
        {usesThreshold && (
          <TextField
            id={id('threshold')}
            label={condition === 'LAG_SECONDS' ? 'Lag above (seconds)' : 'Failures above'}
            inputMode="decimal"
            value={threshold}
            onChange={(event) => setThreshold(event.target.value)}
            error={errors.threshold}
          />
        )}
        <TextField
          id={id('for')}
          label={condition === 'INGESTION_FAILURES' ? 'Within (minutes)' : 'For at least (minutes)'}
          inputMode="decimal"
          value={forMinutes}
          onChange={(event) => setForMinutes(event.target.value)}
          error={errors.forMinutes}
          hint={condition === 'INGESTION_FAILURES' ? 'Failed queued batches are counted over this window.' : '0 fires on the first cycle the condition holds.'}
        />
        <SelectField id={id('format')} label="Webhook format" value={format} onChange={(event) => setFormat(event.target.value as TWebhookFormat)}>
          {WEBHOOK_FORMATS.map((entry) => (
            <option key={entry} value={entry}>
              {WEBHOOK_FORMAT_LABELS[entry]}
            </option>
          ))}
        </SelectField>
        <TextField
          id={id('webhook')}
          label="Webhook URL"
          type="url"
          autoComplete="off"
          value={webhookUrl}
          onChange={(event) => setWebhookUrl(event.target.value)}
          error={errors.webhookUrl}
          placeholder={rule ? `${rule.webhookOrigin}/… — leave blank to keep it` : 'https://hooks.slack.com/services/…'}
          hint="Stored encrypted: Slack and Teams URLs carry their credential. Only the host is shown again."
        />
        <div className="flex flex-col justify-end gap-2 text-sm text-slate-800">
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={sendResolved} onChange={(event) => setSendResolved(event.target.checked)} />
            Send a “resolved” notification when the condition clears
          </label>
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} />
            Enabled
          </label>
        </div>
      </div>
      {save.error && !(save.error instanceof ApiError && save.error.issues.length > 0) && <ErrorBanner title="Could not save the rule">{save.error.message}</ErrorBanner>}
      <div className="flex gap-2">
        <button type="submit" disabled={save.isPending} className={PRIMARY_BUTTON}>
          {save.isPending && <Spinner />}
          {rule ? 'Save changes' : 'Save rule'}
        </button>
        <button type="button" onClick={onDone} className={SECONDARY_BUTTON}>
          Cancel
        </button>
      </div>
    </form>
  );
}
