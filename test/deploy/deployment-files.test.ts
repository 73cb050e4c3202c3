import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { validate as lintDockerfile } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ZWorkerEnv } from '../../lib/env';
import { WORKER_PROCESS_ENV } from '../../scripts/build-worker';

/**
 * The deployment files cannot run here (no Docker, no cluster), so they are checked offline: the
 * Kubernetes manifests against the API's OpenAPI schemas (kubernetes-models), the Dockerfile with
 * a linter (dockerfile-utils, as VS Code's Docker extension uses), and all three against what the
 * worker actually serves and reads.
 */
const root = path.resolve(import.meta.dirname, '../..');
const manifestsDir = path.join(root, 'deploy/kubernetes');

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  [key: string]: unknown;
}

async function manifests(): Promise<{ file: string; object: K8sObject }[]> {
  const files = (await readdir(manifestsDir)).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml');
  const all = await Promise.all(
    files.map(async (file) => {
      const documents = parseAllDocuments(await readFile(path.join(manifestsDir, file), 'utf8'));
      return documents.map((document) => {
        expect(document.errors, `${file}: YAML errors`).toEqual([]);
        return { file, object: document.toJS() as K8sObject };
      });
    }),
  );
  return all.flat();
}

type Model = new (data: unknown) => { validate(): void };

/** The API groups the manifests use; an object of any other apiVersion fails the test. */
const API_GROUPS: Record<string, () => Promise<unknown>> = {
  v1: () => import('kubernetes-models/v1'),
  'apps/v1': () => import('kubernetes-models/apps/v1'),
  'batch/v1': () => import('kubernetes-models/batch/v1'),
  'policy/v1': () => import('kubernetes-models/policy/v1'),
};

/** The model class of an object's apiVersion and kind, which validates it against the schema. */
async function modelFor(object: K8sObject): Promise<Model> {
  const load = API_GROUPS[object.apiVersion];
  if (!load) throw new Error(`${object.apiVersion} is not an API group these manifests are checked against`);
  const model = ((await load()) as Record<string, Model>)[object.kind];
  if (!model) throw new Error(`${object.apiVersion} ${object.kind} is not a Kubernetes API kind`);
  return model;
}

type Container = { name: string; image: string; command?: string[]; ports?: { name: string; containerPort: number }[]; readinessProbe?: { httpGet: { path: string; port: string } }; livenessProbe?: { httpGet: { path: string; port: string } }; env?: { name: string }[] };

function podSpec(object: K8sObject) {
  return (object.spec as { template: { metadata: { labels: Record<string, string> }; spec: { serviceAccountName?: string; securityContext?: { runAsNonRoot?: boolean }; containers: Container[] } } }).template;
}

describe('Kubernetes manifests', () => {
  it('are valid objects of the Kubernetes API, each listed in the kustomization', async () => {
    const objects = await manifests();
    expect(objects.length).toBeGreaterThanOrEqual(8);
    for (const { file, object } of objects) {
      const Model = await modelFor(object);
      expect(() => new Model(object).validate(), `${file}: ${object.kind} ${object.metadata.name}`).not.toThrow();
    }
    const kustomization = parseAllDocuments(await readFile(path.join(manifestsDir, 'kustomization.yaml'), 'utf8'))[0].toJS() as { resources: string[] };
    expect(new Set(kustomization.resources)).toEqual(new Set(objects.map(({ file }) => file)));
  });

  it('run the worker as a Deployment with replicas, probes on its /readyz and /livez, and workload identity for ADX', async () => {
    const objects = (await manifests()).map(({ object }) => object);
    const worker = objects.find((object) => object.kind === 'Deployment' && object.metadata.name === 'kastor-worker')!;
    expect(worker.spec?.replicas).toBeGreaterThan(1);
    const template = podSpec(worker);
    const [container] = template.spec.containers;
    expect(container.command).toEqual(['node', '--conditions=react-server', 'dist/worker/main.mjs']);
    const metricsPort = container.ports!.find((port) => port.name === 'metrics')!.containerPort;
    const config = objects.find((object) => object.kind === 'ConfigMap')!.data as Record<string, string>;
    // The port the probes hit is the one the worker is told to serve on, and the worker's own schema accepts the config.
    expect(Number(config.KASTOR_WORKER_HTTP_PORT)).toBe(metricsPort);
    expect(ZWorkerEnv.safeParse({ DATABASE_URL: 'postgres://db/kastor', KASTOR_SECRET_KEY: `${'A'.repeat(43)}=`, ...config }).success).toBe(true);
    expect(container.readinessProbe!.httpGet).toEqual({ path: '/readyz', port: 'metrics' });
    expect(container.livenessProbe!.httpGet).toEqual({ path: '/livez', port: 'metrics' });
    expect(template.metadata.labels['azure.workload.identity/use']).toBe('true');
    const account = objects.find((object) => object.kind === 'ServiceAccount' && object.metadata.name === template.spec.serviceAccountName)!;
    expect(account.metadata.annotations!['azure.workload.identity/client-id']).toMatch(/^[0-9a-f-]{36}$/);
    for (const deployment of objects.filter((object) => object.kind === 'Deployment' || object.kind === 'Job')) {
      expect(podSpec(deployment).spec.securityContext?.runAsNonRoot, deployment.metadata.name).toBe(true);
      expect(podSpec(deployment).spec.containers[0].image, deployment.metadata.name).toBe('kastor');
    }
  });
});

describe('Dockerfile and compose.yaml', () => {
  it('the Dockerfile lints clean, is multi-stage and runs as a non-root user', async () => {
    const dockerfile = await readFile(path.join(root, 'Dockerfile'), 'utf8');
    const problems = lintDockerfile(dockerfile);
    expect(problems.map((problem) => `${problem.range.start.line + 1}: ${problem.message}`)).toEqual([]);
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(3);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^EXPOSE 3000 9464$/m);
    // The worker runs with the allocator setting it runs with everywhere else.
    for (const [name, value] of Object.entries(WORKER_PROCESS_ENV)) expect(runtime).toMatch(new RegExp(`^\\s+${name}=${value}\\b`, 'm'));
    // Everything the worker (its bundle) and the migration import at run time is copied into the last stage.
    for (const folder of ['lib', 'dist', 'prisma', 'node_modules', '.next']) expect(runtime).toContain(`/app/${folder} ./${folder}`);
  });

  it('compose.yaml runs Postgres, the migration, the web and N workers from one image with the worker probe', async () => {
    const compose = parseAllDocuments(await readFile(path.join(root, 'compose.yaml'), 'utf8'))[0].toJS() as {
      services: Record<string, { image?: string; build?: string; command?: string[]; deploy?: { replicas: unknown }; healthcheck?: { test: string[] }; environment?: Record<string, string> }>;
    };
    expect(Object.keys(compose.services).sort()).toEqual(['migrate', 'postgres', 'web', 'worker']);
    const { migrate, web, worker } = compose.services;
    expect(new Set([migrate.image, web.image, worker.image])).toEqual(new Set(['kastor:local']));
    expect(migrate.build).toBe('.');
    expect(migrate.command).toEqual(['node', '--import', 'tsx', 'scripts/migrate.ts']);
    expect(worker.command).toEqual(['node', '--conditions=react-server', 'dist/worker/main.mjs']);
    expect(worker.deploy?.replicas).toBe('${KASTOR_WORKERS:-2}');
    expect(worker.environment?.KASTOR_WORKER_HTTP_PORT).toBe('9464');
    expect(worker.healthcheck?.test.join(' ')).toContain('http://127.0.0.1:9464/readyz');
  });
});
