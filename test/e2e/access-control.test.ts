import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS_DIR, eventually, launchBrowser, signedInPage } from '../support/browser';
import { createTestDatabase, type TestDatabase } from '../support/harness';
import { startStack, stackFetch, type TestStack } from '../support/stack';

/**
 * Signing in through the local OpenID provider as the viewer, the operator and the admin of
 * `npm start`, each in a browser of their own: what each sees and may do, what the API refuses
 * them, and that signing out ends the session on the server.
 */
let database: TestDatabase;
let stack: TestStack;
let launched: Awaited<ReturnType<typeof launchBrowser>>;
let browser: Browser;
let connectorId: string;

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS_DIR, `access-${name}.png`), fullPage: false });

/** A request from the page itself, as its own script would send it (same origin, the session cookie). */
function pageRequest(page: Page, method: string, url: string, body?: unknown): Promise<number> {
  return page.evaluate(
    async ({ method, url, body }) => (await fetch(url, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })).status,
    { method, url, body },
  );
}

beforeAll(async () => {
  database = await createTestDatabase();
  stack = await startStack('access-control', database, { KASTOR_DEMO_EVENTS_PER_SECOND: '5' });
  launched = await launchBrowser(stack);
  browser = launched.browser;
  const connectors = (await (await stackFetch(stack, '/api/connectors')).json()) as { connectors: { id: string; name: string }[] };
  connectorId = connectors.connectors.find((connector) => connector.name === 'gameplay')!.id;
}, 360_000);

afterAll(async () => {
  await launched?.close();
  await stack?.service.stop();
  await database?.drop();
});

describe('signing in through the local OpenID provider', () => {
  it('a visitor without a session lands on the sign-in page, and the provider asks for a password', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${stack.webUrl}/connectors/${connectorId}`);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/sign-in');
    await expect.poll(() => page.getByRole('heading', { name: 'Sign in to Kastor' }).isVisible()).toBe(true);
    await shot(page, 'sign-in');
    await page.getByRole('link', { name: /^Sign in with/ }).click();
    await expect.poll(() => page.getByLabel('Password').isVisible()).toBe(true);
    await page.getByLabel('Email or user name').fill('admin@kastor.local');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/e-mail or the password is wrong/);
    await shot(page, 'provider-login');
    expect((await stackFetch(stack, '/api/connectors', { headers: { authorization: '' } })).status).toBe(401);
    await context.close();
  });

  it('the viewer reads everything but has no buttons that change anything, and the API refuses them', async () => {
    const page = await signedInPage(browser, stack, 'viewer');
    await expect.poll(() => page.getByTestId('signed-in-user').innerText()).toBe('Vera Viewer');
    expect(await page.getByRole('link', { name: 'New connector' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'API tokens' }).count()).toBe(0);
    await expect.poll(() => page.getByTestId('connector-row-gameplay').isVisible()).toBe(true);
    expect(await page.getByTestId('bulk-pause').count()).toBe(0);

    await page.goto(`${stack.webUrl}/connectors/${connectorId}`);
    await expect.poll(() => page.getByTestId('viewer-note').isVisible()).toBe(true);
    for (const hidden of ['action-pause', 'edit-connector', 'kql-editor', 'target-reapply']) {
      expect({ hidden, count: hidden === 'target-reapply' ? Number(await page.getByTestId(hidden).isEnabled().catch(() => false)) : await page.getByTestId(hidden).count() }).toEqual({ hidden, count: 0 });
    }
    await shot(page, 'viewer-connector');
    expect(await pageRequest(page, 'POST', `/api/connectors/${connectorId}/actions/pause`)).toBe(403);
    expect(await pageRequest(page, 'POST', `/api/connectors/${connectorId}/query`, { csl: 'GamePlay | count' })).toBe(403);

    await page.goto(`${stack.webUrl}/connections`);
    await expect.poll(() => page.getByTestId('kafka-connection-local-kafka').isVisible()).toBe(true);
    expect(await page.getByTestId('edit-connection').count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Add/ }).count()).toBe(0);

    await page.goto(`${stack.webUrl}/connectors/new`);
    await expect.poll(() => page.getByTestId('role-required').innerText()).toMatch(/Creating a connector needs the admin role/);
    await page.context().close();
  });

  it('the operator pauses and resumes and queries, but may not edit, delete or manage connections', async () => {
    const page = await signedInPage(browser, stack, 'operator', { width: 1400, height: 1000 });
    await page.goto(`${stack.webUrl}/connectors/${connectorId}`);
    await expect.poll(() => page.getByTestId('action-pause').isEnabled()).toBe(true);
    expect(await page.getByTestId('edit-connector').count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Delete/ }).count()).toBe(0);
    // The KQL editor loads on its own (Monaco, the language service), after the page.
    await expect.poll(() => page.getByTestId('kql-editor').count(), { timeout: 30_000 }).toBe(1);
    await page.getByTestId('action-pause').click();
    await expect.poll(() => page.getByTestId('connector-state').innerText(), { timeout: 30_000 }).toMatch(/paused/i);
    await shot(page, 'operator-connector');
    expect(await pageRequest(page, 'DELETE', `/api/connectors/${connectorId}`)).toBe(403);
    expect(await pageRequest(page, 'POST', '/api/connections/kafka', { name: 'x', brokers: ['kafka.example.com:9092'] })).toBe(403);
    await page.getByTestId('action-resume').click();
    await expect.poll(() => page.getByTestId('connector-state').innerText(), { timeout: 30_000 }).toMatch(/running/i);
    await page.context().close();
  });

  it('the admin creates an API token shown once, sees who paused in the audit log, and signing out ends the session', async () => {
    const page = await signedInPage(browser, stack, 'admin', { width: 1400, height: 1000 });
    await expect.poll(() => page.getByRole('link', { name: 'New connector' }).isVisible()).toBe(true);
    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.getByLabel('Name').fill('ci-deploy');
    await page.getByLabel('Role').selectOption('OPERATOR');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = await eventually(async () => {
      const value = (await page.getByTestId('new-token-value').innerText()).trim();
      expect(value).toMatch(/^kastor_pat_/);
      return value;
    });
    await expect.poll(() => page.getByTestId('token-row-ci-deploy').innerText()).toMatch(/operator/);
    await shot(page, 'admin-tokens');
    const me = await fetch(`${stack.webUrl}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(await me.json()).toMatchObject({ user: { name: 'ci-deploy', role: 'OPERATOR' } });
    await page.reload();
    expect(await page.content()).not.toContain(token);
    await expect.poll(() => page.getByTestId('token-row-ci-deploy').innerText()).not.toMatch(/never\s*$/);

    await page.goto(`${stack.webUrl}/audit?connectorId=${connectorId}&action=pause`);
    await expect.poll(() => page.getByTestId('audit-event').first().innerText()).toMatch(/operator@kastor\.local \(user\)\s*pause\s*gameplay/);
    await shot(page, 'admin-audit');

    const cookie = (await page.context().cookies()).find((candidate) => candidate.name === 'kastor_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 15_000 }).toBe('/sign-in');
    // The old cookie is worthless: the session row is gone, not only the browser's copy.
    const replay = await fetch(`${stack.webUrl}/api/auth/me`, { headers: { cookie: `kastor_session=${cookie!.value}` } });
    expect(replay.status).toBe(401);
    await page.goto(`${stack.webUrl}/`);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/sign-in');
    await shot(page, 'signed-out');
    await page.context().close();
  });
});
