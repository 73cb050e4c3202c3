'use client';

import { useState } from 'react';
import { WEBHOOK_FORMAT_LABELS, type AlertRuleView } from '@/lib/alerts/alert-rule-definition';
import { ErrorBanner } from '../error-banner';
import { useAlertDeliveries, useDeleteAlertRule, useSendTestAlert } from '../hooks/use-alert-rules';
import { RelativeTime } from '../relative-time';
import { Spinner } from '../spinner';
import { SECONDARY_BUTTON } from '../wizard/form-fields';
import { AlertRuleForm } from './alert-rule-form';

export function AlertRuleCard({ rule }: { rule: AlertRuleView }) {
  const [editing, setEditing] = useState(false);
  const [showLog, setShowLog] = useState(false);
  const test = useSendTestAlert(rule.id);
  const remove = useDeleteAlertRule(rule.id);

  if (editing) return <AlertRuleForm rule={rule} onDone={() => setEditing(false)} />;
  const firing = rule.firing.length > 0;

  return (
    <article aria-label={`Alert rule ${rule.name}`} data-testid={`alert-rule-${rule.name}`} className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <div className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-100 px-4 py-3">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <h3 className="text-sm font-semibold text-slate-900">{rule.name}</h3>
            {!rule.enabled && <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-600">disabled</span>}
            <span
              data-testid="rule-status"
              className={`rounded px-1.5 py-0.5 text-xs font-semibold ${firing ? 'bg-red-100 text-red-800' : 'bg-emerald-50 text-emerald-800'}`}
            >
              {firing ? `firing for ${rule.firing.map((entry) => entry.name).join(', ')}` : 'quiet'}
            </span>
          </div>
          <p className="mt-1 text-sm text-slate-700">
            {rule.connector ? (
              <>
                <span className="font-medium">{rule.connector.name}</span>:{' '}
              </>
            ) : (
              <span className="font-medium">Every connector: </span>
            )}
            {rule.description}
          </p>
          <p className="mt-0.5 text-xs text-slate-500">
            {WEBHOOK_FORMAT_LABELS[rule.format]} webhook at <span className="font-mono">{rule.webhookOrigin}</span>
            {rule.sendResolved ? ', with resolved notifications' : ', firing only'}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <button type="button" className={SECONDARY_BUTTON} disabled={test.isPending} onClick={() => test.mutate(undefined, { onSuccess: () => setShowLog(true) })}>
            {test.isPending && <Spinner />}
            {test.isPending ? 'Sending…' : 'Send test'}
          </button>
          <button type="button" className={SECONDARY_BUTTON} aria-expanded={showLog} onClick={() => setShowLog((shown) => !shown)}>
            {showLog ? 'Hide delivery log' : 'Delivery log'}
          </button>
          <button type="button" className={SECONDARY_BUTTON} onClick={() => setEditing(true)}>
            Edit
          </button>
          <button
            type="button"
            className={`${SECONDARY_BUTTON} text-red-700`}
            disabled={remove.isPending}
            onClick={() => {
              if (window.confirm(`Delete the alert rule "${rule.name}" and its delivery log?`)) remove.mutate();
            }}
          >
            Delete
          </button>
        </div>
      </div>
      {test.data && (
        <p role="status" className={`px-4 pt-3 text-sm ${test.data.ok ? 'text-emerald-700' : 'text-red-700'}`}>
          {test.data.ok ? `Test delivered: the webhook answered ${test.data.httpStatus} in ${test.data.durationMs} ms.` : `Test not delivered: ${test.data.error}`}
        </p>
      )}
      {test.error && <p className="px-4 pt-3 text-sm text-red-700">{test.error.message}</p>}
      {remove.error && (
        <div className="px-4 pt-3">
          <ErrorBanner title="Not deleted">{remove.error.message}</ErrorBanner>
        </div>
      )}
      {showLog && <DeliveryLog ruleId={rule.id} />}
    </article>
  );
}

function DeliveryLog({ ruleId }: { ruleId: string }) {
  const deliveries = useAlertDeliveries(ruleId, true);
  return (
    <div className="px-4 py-3">
      <h4 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Delivery log</h4>
      {deliveries.isPending && <p className="mt-2 text-sm text-slate-500">Loading…</p>}
      {deliveries.error && <p className="mt-2 text-sm text-red-700">{deliveries.error.message}</p>}
      {deliveries.data?.length === 0 && <p className="mt-2 text-sm text-slate-600">Nothing sent yet. “Send test” checks the webhook now.</p>}
      {deliveries.data && deliveries.data.length > 0 && (
        <div className="mt-2 overflow-x-auto">
          <table className="w-full text-left text-sm" aria-label="Delivery log">
            <thead className="text-xs text-slate-500">
              <tr>
                <th className="py-1 pr-3 font-medium">When</th>
                <th className="py-1 pr-3 font-medium">Notification</th>
                <th className="py-1 pr-3 font-medium">Attempt</th>
                <th className="py-1 pr-3 font-medium">Outcome</th>
                <th className="py-1 pr-3 font-medium">Sent by</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {deliveries.data.map((delivery) => (
                <tr key={delivery.id} data-testid="delivery-row">
                  <td className="py-1.5 pr-3 whitespace-nowrap text-slate-600">
                    <RelativeTime at={delivery.at} />
                  </td>
                  <td className="py-1.5 pr-3">
                    <span className={`mr-1.5 rounded px-1.5 py-0.5 text-xs font-semibold ${KIND_CLASS[delivery.kind]}`}>{delivery.kind}</span>
                    <span className="text-slate-800">{delivery.summary}</span>
                  </td>
                  <td className="py-1.5 pr-3 text-slate-700">#{delivery.attempt}</td>
                  <td className={`py-1.5 pr-3 ${delivery.ok ? 'text-emerald-700' : 'text-red-700'}`}>
                    {delivery.ok ? `delivered (${delivery.httpStatus}, ${delivery.durationMs} ms)` : delivery.error}
                    {!delivery.ok && delivery.eventStatus === 'PENDING' && <span className="text-slate-500"> — will retry</span>}
                    {!delivery.ok && delivery.eventStatus === 'FAILED' && <span className="text-slate-500"> — given up</span>}
                  </td>
                  <td className="py-1.5 pr-3 font-mono text-xs text-slate-600">{delivery.sender}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

const KIND_CLASS = {
  FIRING: 'bg-red-100 text-red-800',
  RESOLVED: 'bg-emerald-100 text-emerald-800',
  TEST: 'bg-slate-100 text-slate-700',
} as const;
