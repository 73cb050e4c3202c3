import type { HealthStatus } from '../health/evaluate-health';
import type { TAlertCondition } from './alert-rule-definition';

/** What a rule is evaluated over: one connector's figures from the lease holder's metrics cycle. */
export interface AlertSnapshot {
  health: { status: HealthStatus; reason: string };
  actualState: string;
  lastError: string | null;
  lagSeconds: number | null;
  totalLag: number;
  /** Queued batches that failed within the rule's window (INGESTION_FAILURES). */
  ingestionFailures: number;
}

export interface AlertRuleCondition {
  condition: TAlertCondition;
  healthStatuses: string[];
  threshold: number | null;
}

export interface ConditionOutcome {
  holds: boolean;
  /** Why, in words, for the notification. */
  reason: string;
}

/** Whether a rule's condition holds for a connector right now. Pure. */
export function evaluateCondition(rule: AlertRuleCondition, snapshot: AlertSnapshot): ConditionOutcome {
  switch (rule.condition) {
    case 'HEALTH':
      return {
        holds: rule.healthStatuses.includes(snapshot.health.status),
        reason: `health ${snapshot.health.status}: ${snapshot.health.reason}`,
      };
    case 'LAG_SECONDS': {
      const threshold = rule.threshold ?? 0;
      const lag = snapshot.lagSeconds ?? 0;
      return { holds: lag > threshold, reason: `lag ${Math.round(lag)} s (${snapshot.totalLag} records), threshold ${threshold} s` };
    }
    case 'CONNECTOR_FAILED':
      return {
        holds: snapshot.actualState === 'FAILED',
        reason: snapshot.actualState === 'FAILED' ? `FAILED: ${snapshot.lastError ?? 'no error reported'}` : `state ${snapshot.actualState}`,
      };
    case 'INGESTION_FAILURES': {
      const threshold = rule.threshold ?? 0;
      return { holds: snapshot.ingestionFailures > threshold, reason: `${snapshot.ingestionFailures} queued ingestion failures, threshold ${threshold}` };
    }
  }
}

export interface AlertStanding {
  firing: boolean;
  /** Epoch ms since when the condition holds without having fired; null when it does not. */
  pendingSince: number | null;
}

export type AlertTransition =
  | { kind: 'none' }
  /** The condition started holding: the "for M minutes" clock starts. */
  | { kind: 'pending'; since: number }
  /** It stopped holding before the rule fired. */
  | { kind: 'clear-pending' }
  | { kind: 'fire' }
  | { kind: 'resolve' };

/**
 * The next step of a rule for one connector: fire once the condition has held for `holdMs`,
 * resolve as soon as it stops holding. Pure; the caller claims the step in Postgres.
 */
export function decideTransition(standing: AlertStanding, holds: boolean, now: number, holdMs: number): AlertTransition {
  if (standing.firing) return holds ? { kind: 'none' } : { kind: 'resolve' };
  if (!holds) return standing.pendingSince === null ? { kind: 'none' } : { kind: 'clear-pending' };
  const since = standing.pendingSince ?? now;
  if (now - since >= holdMs) return { kind: 'fire' };
  return standing.pendingSince === null ? { kind: 'pending', since } : { kind: 'none' };
}

/** Seconds before attempt `attempt + 1` after `attempt` failed: 2, 4, 8 … capped at five minutes. */
export function retryDelayMs(attempt: number, baseMs = 2_000): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 5 * 60_000);
}
