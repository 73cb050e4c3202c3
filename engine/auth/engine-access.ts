import { AsyncLocalStorage } from 'node:async_hooks';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { z } from 'zod';
import type { TRequestIds } from '../protocol/kusto-error';
import { CommandLog } from './command-log';

export const DATABASE_ROLES = ['admin', 'ingestor', 'viewer'] as const;
export type TDatabaseRole = (typeof DATABASE_ROLES)[number];

/**
 * The engine's sign-in settings, as ADX takes them from Entra ID: tokens must be signed by the
 * issuer's keys (JWKS) for `audience`; `principals` are the applications granted roles on every
 * database (ADX grants per database; one local engine serves one product).
 */
export const ZEngineAuthOptions = z.object({
  /** Where clients sign in (cloud metadata `AzureAD.LoginEndpoint`): the authority host, https. */
  loginEndpoint: z.url({ protocol: /^https$/ }),
  issuer: z.string().min(1),
  jwksUrl: z.url(),
  /** The `aud` tokens must carry; clients ask for `<audience>/.default` (`KustoServiceResourceId`). */
  audience: z.string().min(1),
  principals: z.array(
    z.object({
      appId: z.string().min(1),
      roles: z.array(z.enum(DATABASE_ROLES)).min(1),
      displayName: z.string().min(1).optional(),
    }),
  ),
});
export type TEngineAuthOptions = z.infer<typeof ZEngineAuthOptions>;

export interface TPrincipal {
  /** ADX's fully qualified name: `aadapp=<app id>;<tenant id>`. */
  fqn: string;
  type: 'AAD Application' | 'Local';
  displayName: string;
  objectId: string;
  roles: ReadonlySet<TDatabaseRole>;
}

/** Without auth the engine is open, as before: every caller is this one local admin. */
export const LOCAL_PRINCIPAL: TPrincipal = {
  fqn: 'local=anonymous',
  type: 'Local',
  displayName: 'Local engine user (no authentication)',
  objectId: '',
  roles: new Set(['admin']),
};

/** A refused caller: 401 (no valid token) or 403 (no role for the operation), in ADX's error shape. */
export class EngineAccessError extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
    this.name = 'EngineAccessError';
  }
}

export function accessErrorBody(error: EngineAccessError, ids: TRequestIds): unknown {
  const forbidden = error.status === 403;
  return {
    error: {
      code: forbidden ? 'Forbidden' : 'Unauthorized',
      message: forbidden ? 'Caller is not authorized to perform this action' : 'The caller could not be authenticated',
      '@type': forbidden ? 'Kusto.DataNode.Exceptions.UnauthorizedDatabaseAccessException' : 'Kusto.Common.Svc.Exceptions.UnauthenticatedException',
      '@message': error.message,
      '@context': { timestamp: new Date().toISOString(), clientRequestId: ids.clientRequestId, activityId: ids.activityId },
      '@permanent': true,
    },
  };
}

/** ADX's answer names Entra; this engine's names its own token server. */
function cloudMetadata(options: TEngineAuthOptions): unknown {
  const login = options.loginEndpoint.replace(/\/+$/, '');
  return {
    AzureAD: {
      LoginEndpoint: login,
      LoginMfaRequired: false,
      KustoClientAppId: 'db662dc1-0cfe-4e1c-a843-19a68e65be58',
      KustoClientRedirectUri: 'https://microsoft/kustoclient',
      KustoServiceResourceId: options.audience,
      FirstPartyAuthorityUrl: `${login}/organizations`,
    },
  };
}

const ZTokenClaims = z.object({ appid: z.string().optional(), azp: z.string().optional(), client_id: z.string().optional(), tid: z.string().optional(), oid: z.string().optional() });

export interface TEngineAccess {
  /** The body of `/v1/rest/auth/metadata`, or undefined to answer 404 (no sign-in). */
  metadata: unknown;
  /** The principals granted roles, for `.show database D principals`. */
  principals: readonly TPrincipal[];
  commandLog: CommandLog;
  authenticate(authorization: string | undefined): Promise<TPrincipal>;
}

export function createEngineAccess(options: TEngineAuthOptions | undefined): TEngineAccess {
  const commandLog = new CommandLog();
  if (!options) return { metadata: undefined, principals: [LOCAL_PRINCIPAL], commandLog, authenticate: async () => LOCAL_PRINCIPAL };
  const keys = createRemoteJWKSet(new URL(options.jwksUrl));
  const granted = new Map(options.principals.map((principal) => [principal.appId, principal]));
  const tenantOf = (issuer: string) => /\/([0-9a-f-]{36})(?:\/|$)/i.exec(issuer)?.[1] ?? '';
  return {
    metadata: cloudMetadata(options),
    principals: options.principals.map((principal) => ({
      fqn: `aadapp=${principal.appId};${tenantOf(options.issuer)}`,
      type: 'AAD Application',
      displayName: principal.displayName ?? principal.appId,
      objectId: principal.appId,
      roles: new Set(principal.roles),
    })),
    commandLog,
    async authenticate(authorization) {
      const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
      if (!token) throw new EngineAccessError(401, 'The request has no bearer token: sign in and send Authorization: Bearer <token>');
      let claims: z.infer<typeof ZTokenClaims>;
      try {
        const { payload } = await jwtVerify(token, keys, { issuer: options.issuer, audience: options.audience, algorithms: ['RS256'] });
        claims = ZTokenClaims.parse(payload);
      } catch (error) {
        throw new EngineAccessError(401, `The bearer token was refused: ${(error as Error).message}`);
      }
      const appId = claims.appid ?? claims.azp ?? claims.client_id;
      if (!appId) throw new EngineAccessError(401, 'The bearer token names no application (appid)');
      const principal = granted.get(appId);
      return {
        fqn: `aadapp=${appId};${claims.tid ?? tenantOf(options.issuer)}`,
        type: 'AAD Application',
        displayName: principal?.displayName ?? appId,
        objectId: claims.oid ?? appId,
        roles: new Set(principal?.roles ?? []),
      };
    },
  };
}

export interface TRequestContext {
  principal: TPrincipal;
  ids: TRequestIds;
  /** The caller's x-ms-app header. */
  application: string;
  access: TEngineAccess;
}

/** The caller of the request being served, for the management commands that check or log it. */
export const requestContext = new AsyncLocalStorage<TRequestContext>();
