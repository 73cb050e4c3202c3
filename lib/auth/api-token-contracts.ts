import { z } from 'zod';
import { ZRole, type TRole } from './roles';

/** Contracts of API tokens, shared by the route handlers and the tokens page. */
export const API_TOKEN_PREFIX = 'kastor_pat_';

export const ZCreateApiToken = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'is required')
      .max(100, 'must be at most 100 characters')
      .regex(/^[^\p{Cc}]*$/u, 'may not contain control characters'),
    role: ZRole,
    /** Omitted: the token lasts until it is revoked. */
    expiresInDays: z.number().int().min(1, 'must be at least 1').max(3650, 'must be at most 3650').optional(),
  })
  .strict();
export type TCreateApiToken = z.input<typeof ZCreateApiToken>;

export interface ApiTokenView {
  id: string;
  name: string;
  /** The token's first characters, to tell it apart; the rest is never shown again. */
  prefix: string;
  role: TRole;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface CreatedApiToken {
  apiToken: ApiTokenView;
  /** The secret, in this one answer only. */
  token: string;
}
