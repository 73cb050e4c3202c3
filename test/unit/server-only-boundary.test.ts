import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { filesUnder, runtimeImports, serverOnlyChains } from '../support/server-only-graph';

const root = path.resolve(import.meta.dirname, '../..');

describe("the server-only boundary (modules holding Prisma, Kafka, Kusto or secrets never reach the browser's bundle)", () => {
  it('no component loads a module marked server-only, directly or through lib/', () => {
    const chains = serverOnlyChains(filesUnder(path.join(root, 'components')), root);
    expect(chains.map((chain) => chain.join(' → '))).toEqual([]);
  });

  it('the adapters for Postgres, Kafka, Kusto and secrets are marked', () => {
    const marked = serverOnlyChains(['lib/db/prisma.ts', 'lib/kafka/kafka-client.ts', 'lib/kusto/kusto-clients.ts', 'lib/secrets.ts'].map((file) => path.join(root, file)), root);
    expect(marked).toHaveLength(4);
  });

  const fixture = mkdtempSync(path.join(tmpdir(), 'server-only-'));
  afterAll(() => rmSync(fixture, { recursive: true, force: true }));

  it('fails for a component that imports a marked module through another one, naming the chain', () => {
    mkdirSync(path.join(fixture, 'components'));
    mkdirSync(path.join(fixture, 'lib'));
    writeFileSync(path.join(fixture, 'lib/db.ts'), "import 'server-only';\nexport const db = {};\n");
    writeFileSync(path.join(fixture, 'lib/read-things.ts'), "import { db } from './db';\nexport const things = () => db;\n");
    writeFileSync(path.join(fixture, 'lib/thing-types.ts'), "import type { db } from './db';\nexport type Thing = typeof db;\n");
    writeFileSync(path.join(fixture, 'components/bad.tsx'), "'use client';\nimport { things } from '@/lib/read-things';\nexport const x = things;\n");
    writeFileSync(path.join(fixture, 'components/good.tsx'), "'use client';\nimport type { Thing } from '@/lib/thing-types';\nimport { type db } from '../lib/db';\nexport type X = Thing;\n");
    expect(serverOnlyChains(filesUnder(path.join(fixture, 'components')), fixture)).toEqual([['components/bad.tsx', 'lib/read-things.ts', 'lib/db.ts']]);
  });

  it('reads run-time imports only', () => {
    expect(runtimeImports("import type { A } from './a';\nimport { type B, C } from './b';\nimport './c';\nexport { D } from './d';\nexport type { E } from './e';")).toEqual(['./b', './c', './d']);
  });
});
