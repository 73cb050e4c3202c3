import { z } from 'zod';

/** The audit page's filters, shared by the route and the page. */
export const AUDIT_PAGE_SIZE = 50;

const ZFilterText = z.string().trim().max(200, 'must be at most 200 characters').regex(/^[^\u0000]*$/, 'may not contain NUL');

export const ZAuditQuery = z.object({
  connectorId: z.uuid('must be a connector id').optional(),
  actor: ZFilterText.optional(),
  action: ZFilterText.optional(),
  /** Events older than this id (the next page). */
  before: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
});
export type TAuditQuery = z.infer<typeof ZAuditQuery>;

export interface AuditEventView {
  id: number;
  at: string;
  action: string;
  actor: string;
  actorKind: 'USER' | 'TOKEN' | 'SYSTEM';
  connector: { id: string; name: string } | null;
  /** What changed: before/after definitions, the state transition, the connection's settings (never a secret). */
  detail: unknown;
}

export interface AuditPage {
  events: AuditEventView[];
  /** Pass as `before` for the next page; null on the last. */
  nextBefore: number | null;
  /** For the filter menus. */
  actions: string[];
  actors: string[];
}
