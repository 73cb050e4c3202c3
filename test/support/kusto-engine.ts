import { Client as KustoClient } from 'azure-kusto-data';

/** Runs one management command on a stack's engine, as an ADX admin would in the portal. */
export async function kustoMgmt(engineUrl: string, database: string, csl: string): Promise<void> {
  const client = new KustoClient(engineUrl);
  try {
    await client.executeMgmt(database, csl);
  } finally {
    client.close();
  }
}

/**
 * An empty database, as an ADX cluster admin makes one before any connector can use it. The
 * engine has no `.create database`: a database exists from its first table or policy, so this
 * sets ADX's usual streaming policy on it.
 */
export function createEngineDatabase(engineUrl: string, database: string): Promise<void> {
  return kustoMgmt(engineUrl, database, `.alter database ${database} policy streamingingestion enable`);
}
