import { z } from 'zod';

/**
 * Who may do what, shared by the route handlers (which refuse with 403) and the pages (which hide
 * or disable what a role may not do). Each role includes the ones below it.
 */
export const ROLES = ['VIEWER', 'OPERATOR', 'ADMIN'] as const;
export type TRole = (typeof ROLES)[number];
export const ZRole = z.enum(ROLES, { message: 'must be VIEWER, OPERATOR or ADMIN' });

export const ROLE_LABELS: Record<TRole, { title: string; meaning: string }> = {
  VIEWER: { title: 'viewer', meaning: 'reads connectors, connections (never their secrets), metrics, errors and the audit log' },
  OPERATOR: { title: 'operator', meaning: 'also pauses, resumes, stops, starts and restarts connectors, resets offsets and runs sample queries' },
  ADMIN: { title: 'admin', meaning: 'also creates, edits and deletes connectors and connections, and manages API tokens' },
};

/**
 * read: every page and GET except secrets (none are ever returned).
 * operate: lifecycle actions, offset resets, sample queries, reading topic messages.
 * administer: connections, connectors (create, edit, delete, re-apply their KQL), API tokens.
 */
export const PERMISSIONS = ['read', 'operate', 'administer'] as const;
export type TPermission = (typeof PERMISSIONS)[number];

const LEAST_ROLE: Record<TPermission, TRole> = { read: 'VIEWER', operate: 'OPERATOR', administer: 'ADMIN' };

export function can(role: TRole, permission: TPermission): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(LEAST_ROLE[permission]);
}

export function leastRoleFor(permission: TPermission): TRole {
  return LEAST_ROLE[permission];
}

/** What the browser knows of the signed-in user (never a token or a claim it does not need). */
export interface SessionUserView {
  name: string;
  email: string | null;
  role: TRole;
}
