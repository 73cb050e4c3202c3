import 'server-only';
import type { Db } from '../db/prisma';
import { decryptSecret } from '../secrets';
import { describeCondition, MAX_DELIVERY_ATTEMPTS, type TAlertEventKind } from './alert-rule-definition';
import { retryDelayMs } from './evaluate-alert';
import { webhookBody, type AlertNotification } from './webhook-payload';

/** A webhook gets this long to answer; the claim on an event outlives it. */
const WEBHOOK_TIMEOUT_MS = 10_000;
const CLAIM_SECONDS = 30;
const CLAIM_BATCH = 20;

interface ClaimedEvent {
  id: bigint;
  ruleId: string;
  connectorId: string | null;
  kind: TAlertEventKind;
  episode: number;
  summary: string;
  detail: unknown;
  at: Date;
  attempts: number;
}

export interface DeliveryOptions {
  db: Db;
  secretKey: string;
  /** Who sends, for the delivery log: a worker id, or "web" for a test. */
  sender: string;
  /** First retry delay; doubles per attempt. */
  retryBaseMs?: number;
}

export interface AttemptOutcome {
  ok: boolean;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
}

/** One POST to a webhook; any 2xx is delivered. Never throws: the outcome goes to the log. */
export async function postWebhook(url: string, body: unknown): Promise<AttemptOutcome> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Kastor-Alerts' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      redirect: 'error',
    });
    const text = response.ok ? '' : (await response.text().catch(() => '')).slice(0, 300);
    return {
      ok: response.ok,
      httpStatus: response.status,
      error: response.ok ? null : `HTTP ${response.status}${text ? `: ${text}` : ''}`,
      durationMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const message = (error as Error).name === 'TimeoutError' ? `no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s` : (cause?.code ?? cause?.message ?? (error as Error).message);
    return { ok: false, httpStatus: null, error: message, durationMs: Math.round(performance.now() - started) };
  }
}

/**
 * Claims due events (pending, retry time reached, not held by another sender) and sends each to
 * its rule's webhook, logging every attempt. A failure is retried with a doubling delay up to
 * MAX_DELIVERY_ATTEMPTS. An event waits while an earlier one of the same rule and connector is
 * pending, so a RESOLVED never overtakes its FIRING. A TEST is the web's to send, once, while the
 * user waits: never claimed here. Returns how many events were attempted.
 */
export async function deliverDueAlerts(options: DeliveryOptions): Promise<number> {
  const { db } = options;
  const claimed = await db.$queryRaw<ClaimedEvent[]>`
    UPDATE "AlertEvent" SET "lockedUntil" = now() + ${CLAIM_SECONDS} * interval '1 second', "attempts" = "attempts" + 1
    WHERE "id" IN (
      SELECT e."id" FROM "AlertEvent" e
      WHERE e."status" = 'PENDING' AND e."nextAttemptAt" <= now() AND (e."lockedUntil" IS NULL OR e."lockedUntil" < now())
        AND e."kind" <> 'TEST'
        AND NOT EXISTS (
          SELECT 1 FROM "AlertEvent" earlier
          WHERE earlier."ruleId" = e."ruleId" AND earlier."connectorId" IS NOT DISTINCT FROM e."connectorId"
            AND earlier."id" < e."id" AND earlier."status" = 'PENDING')
      ORDER BY e."id" LIMIT ${CLAIM_BATCH}
      FOR UPDATE SKIP LOCKED)
    RETURNING "id", "ruleId", "connectorId"::text AS "connectorId", "kind"::text AS "kind", "episode", "summary", "detail", "at", "attempts"`;
  await Promise.all(claimed.map((event) => deliverClaimed(options, event)));
  return claimed.length;
}

async function deliverClaimed(options: DeliveryOptions, event: ClaimedEvent): Promise<void> {
  const { db } = options;
  const rule = await db.alertRule.findUnique({ where: { id: event.ruleId } });
  if (!rule) return;
  const connector = event.connectorId ? await db.connector.findUnique({ where: { id: event.connectorId }, select: { id: true, name: true } }) : null;
  const notification: AlertNotification = {
    kind: event.kind,
    rule: { id: rule.id, name: rule.name, condition: describeCondition(rule) },
    connector,
    summary: event.summary,
    detail: (event.detail ?? {}) as Record<string, unknown>,
    episode: event.episode,
    at: event.at.toISOString(),
    source: 'kastor',
  };
  const outcome = await postWebhook(decryptSecret(rule.webhookUrlEnc, options.secretKey), webhookBody(rule.format, notification));
  const givenUp = !outcome.ok && event.attempts >= MAX_DELIVERY_ATTEMPTS;
  await db.$transaction([
    db.alertDelivery.create({
      data: { eventId: event.id, ruleId: rule.id, attempt: event.attempts, sender: options.sender, ...outcome },
    }),
    db.alertEvent.update({
      where: { id: event.id },
      data: {
        status: outcome.ok ? 'DELIVERED' : givenUp ? 'FAILED' : 'PENDING',
        lockedUntil: null,
        ...(outcome.ok || givenUp ? {} : { nextAttemptAt: new Date(Date.now() + retryDelayMs(event.attempts, options.retryBaseMs)) }),
      },
    }),
  ]);
}

/**
 * Sends due alert events every `intervalMs` until stopped; every worker runs one, and each event
 * is claimed by one of them at a time. `stop()` waits for the round in flight.
 */
export class AlertDeliveryLoop {
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;

  constructor(
    private readonly options: DeliveryOptions & { intervalMs?: number; log?: (message: string) => void },
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.round) return;
      this.round = deliverDueAlerts(this.options)
        .then(() => undefined)
        .catch((error: Error) => this.options.log?.(`alert delivery round failed — ${error.message}`))
        .finally(() => {
          this.round = null;
        });
    }, this.options.intervalMs ?? 1_000);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.round;
  }
}
