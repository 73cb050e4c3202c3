'use client';

import { useState } from 'react';
import { useAlertRules } from '../hooks/use-alert-rules';
import { LoadingNote, PRIMARY_BUTTON, RetryableError } from '../wizard/form-fields';
import { AlertRuleCard } from './alert-rule-card';
import { AlertRuleForm } from './alert-rule-form';

/**
 * Alert rules: conditions on one connector or all of them, sent to a webhook (generic JSON,
 * Microsoft Teams, Slack) once per transition, with a resolved notification and a delivery log.
 */
export function AlertsPage() {
  const rules = useAlertRules();
  const [adding, setAdding] = useState(false);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold text-slate-900">Alerts</h1>
          <p className="mt-1 max-w-3xl text-sm text-slate-600">
            Rules the workers evaluate every metrics cycle. A notification goes out once when a rule starts firing and once when it clears, whichever worker notices;
            failed deliveries are retried with a doubling delay.
          </p>
        </div>
        {!adding && (
          <button type="button" className={PRIMARY_BUTTON} onClick={() => setAdding(true)}>
            Add alert rule
          </button>
        )}
      </div>
      {adding && <AlertRuleForm rule={null} onDone={() => setAdding(false)} />}
      {rules.isPending && <LoadingNote>Loading alert rules…</LoadingNote>}
      {rules.isError && <RetryableError title="Could not load the alert rules" error={rules.error} onRetry={() => void rules.refetch()} />}
      {rules.data?.length === 0 && !adding && (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-center text-sm text-slate-600">
          No alert rules yet. Nothing tells anyone when a connector stalls unless they are looking at it.
        </p>
      )}
      <div className="space-y-3">
        {rules.data?.map((rule) => (
          <AlertRuleCard key={rule.id} rule={rule} />
        ))}
      </div>
    </div>
  );
}
