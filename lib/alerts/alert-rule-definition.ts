import { z } from 'zod';
import { HEALTH_STATUSES, type HealthStatus } from '../health/evaluate-health';

/**
 * The alert rules' contracts, shared by the route handlers, the worker and the alerts page:
 * input schema, the view the browser gets (the webhook only as its origin) and the labels.
 */

export const ALERT_CONDITIONS = ['HEALTH', 'LAG_SECONDS', 'CONNECTOR_FAILED', 'INGESTION_FAILURES'] as const;
export type TAlertCondition = (typeof ALERT_CONDITIONS)[number];

export const WEBHOOK_FORMATS = ['JSON', 'TEAMS', 'SLACK'] as const;
export type TWebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** The statuses a health rule may fire on: everything but OK. */
export const ALERTABLE_HEALTH = HEALTH_STATUSES.filter((status): status is Exclude<HealthStatus, 'OK'> => status !== 'OK');

export const ALERT_CONDITION_LABELS: Record<TAlertCondition, string> = {
  HEALTH: 'Health becomes',
  LAG_SECONDS: 'Lag in seconds above',
  CONNECTOR_FAILED: 'Connector failed',
  INGESTION_FAILURES: 'Queued ingestion failures above',
};

export const WEBHOOK_FORMAT_LABELS: Record<TWebhookFormat, string> = {
  JSON: 'Generic JSON',
  TEAMS: 'Microsoft Teams',
  SLACK: 'Slack',
};

/** After this many failed attempts an event is given up (FAILED); the delay doubles from the first. */
export const MAX_DELIVERY_ATTEMPTS = 8;

const HTTP = /^https?$/;

function alertRuleSchema(webhookRequired: boolean) {
  return z
    .object({
      name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
      /** null or absent: every connector. */
      connectorId: z.uuid('must be a connector id').nullable().default(null),
      condition: z.enum(ALERT_CONDITIONS),
      healthStatuses: z.array(z.enum(ALERTABLE_HEALTH)).default([]),
      threshold: z.number().min(0, 'must be 0 or more').nullable().default(null),
      forMinutes: z.number().min(0, 'must be 0 or more').max(1440, 'must be at most 1440 (a day)').default(0),
      format: z.enum(WEBHOOK_FORMATS).default('JSON'),
      /** Blank on an edit keeps the stored webhook. */
      webhookUrl: z
        .string()
        .trim()
        .max(2048)
        .optional()
        .transform((value) => value || undefined)
        .pipe(z.url({ protocol: HTTP, message: 'must be an http(s) URL' }).optional()),
      sendResolved: z.boolean().default(true),
      enabled: z.boolean().default(true),
    })
    .strict()
    .superRefine((input, context) => {
      if (webhookRequired && !input.webhookUrl) context.addIssue({ code: 'custom', path: ['webhookUrl'], message: 'is required' });
      if (input.condition === 'HEALTH' && input.healthStatuses.length === 0) {
        context.addIssue({ code: 'custom', path: ['healthStatuses'], message: 'needs at least one of WARN, STALL, STOP, ERROR' });
      }
      if ((input.condition === 'LAG_SECONDS' || input.condition === 'INGESTION_FAILURES') && input.threshold === null) {
        context.addIssue({ code: 'custom', path: ['threshold'], message: 'is required for this condition' });
      }
      if (input.condition === 'INGESTION_FAILURES' && input.forMinutes <= 0) {
        context.addIssue({ code: 'custom', path: ['forMinutes'], message: 'is the counting window and must be above 0' });
      }
    });
}

export const ZAlertRuleInput = alertRuleSchema(true);
export const ZAlertRuleUpdate = alertRuleSchema(false);
export type TAlertRuleInput = z.input<typeof ZAlertRuleInput>;
export type TAlertRule = z.output<typeof ZAlertRuleInput>;

/** The condition of a rule, in words: "health becomes STOP or ERROR for 2 min". */
export function describeCondition(rule: { condition: TAlertCondition; healthStatuses: readonly string[]; threshold: number | null; forMinutes: number }): string {
  const lasting = rule.forMinutes > 0 ? ` for ${rule.forMinutes} min` : '';
  switch (rule.condition) {
    case 'HEALTH':
      return `health becomes ${rule.healthStatuses.join(' or ')}${lasting}`;
    case 'LAG_SECONDS':
      return `lag above ${rule.threshold} s${lasting}`;
    case 'CONNECTOR_FAILED':
      return `connector FAILED${lasting}`;
    case 'INGESTION_FAILURES':
      return `more than ${rule.threshold} queued ingestion failures within ${rule.forMinutes} min`;
  }
}

export const ALERT_EVENT_KINDS = ['FIRING', 'RESOLVED', 'TEST'] as const;
export type TAlertEventKind = (typeof ALERT_EVENT_KINDS)[number];
export const DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'FAILED'] as const;

export interface AlertRuleView {
  id: string;
  name: string;
  connector: { id: string; name: string } | null;
  condition: TAlertCondition;
  healthStatuses: string[];
  threshold: number | null;
  forMinutes: number;
  /** The condition in words. */
  description: string;
  format: TWebhookFormat;
  /** Scheme, host and port only: the full URL is a credential for Slack and Teams. */
  webhookOrigin: string;
  sendResolved: boolean;
  enabled: boolean;
  /** Connectors the rule is firing for now. */
  firing: { id: string; name: string; since: string }[];
}

export interface AlertDeliveryView {
  id: number;
  eventId: number;
  kind: TAlertEventKind;
  connectorName: string | null;
  summary: string;
  attempt: number;
  at: string;
  ok: boolean;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
  sender: string;
  /** Where the event stands: still retrying, delivered, or given up. */
  eventStatus: (typeof DELIVERY_STATUSES)[number];
}
