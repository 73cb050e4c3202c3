import 'server-only';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';

export type Db = PrismaClient;

export function createPrisma(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
}

/** NOTIFY channel the web uses to wake workers when desired state changes. */
export const CONNECTORS_CHANNEL = 'kastor_connectors';

export async function notifyConnectorChanged(db: PrismaClient, connectorId: string): Promise<void> {
  await db.$executeRaw`SELECT pg_notify(${CONNECTORS_CHANNEL}, ${connectorId})`;
}

export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'P2002';
}
