import { createHash, X509Certificate } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, waitFor, type TestDatabase } from './harness';
import { startStack, type TestStack } from './stack';

export const ARTIFACTS_DIR = path.resolve(import.meta.dirname, '../../test-results');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** What Chromium's --ignore-certificate-errors-spki-list takes: base64 SHA-256 of the key's SubjectPublicKeyInfo. */
function spkiHash(certificatePem: string): string {
  return createHash('sha256').update(new X509Certificate(certificatePem).publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
}

/**
 * Debian's Chromium, headless, with the flags that keep it off the network; a fresh profile each
 * launch. With a stack, it trusts that stack's local OpenID provider's certificate — that one key
 * only, not certificate errors in general.
 */
export async function launchBrowser(stack?: Pick<TestStack, 'providerCertificatePem'>): Promise<{ browser: Browser; close(): Promise<void> }> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(stack ? [`--ignore-certificate-errors-spki-list=${spkiHash(stack.providerCertificatePem)}`] : []),
    ],
  });
  return {
    browser,
    close: () => browser.close(),
  };
}

/** A tab at 1280 px wide whose script errors show in the test output. */
export async function openPage(browser: Browser, label: string, height = 800): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height } });
  page.on('pageerror', (error) => console.error(`${label} page error: ${error.message}`));
  return page;
}

/** The page settles asynchronously; checks poll until they hold. */
export function eventually<T>(check: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  return waitFor(check, { timeoutMs, intervalMs: 100 });
}

export async function textOf(locator: Locator): Promise<string> {
  return (await locator.innerText()).trim();
}

/** The wizard's forward button, whatever step it leads to. */
export function wizardNextButton(page: Page): Locator {
  return page.getByRole('button', { name: /^Next:/ });
}

export type DemoLogin = 'viewer' | 'operator' | 'admin';

/**
 * Signs in as a demo user the way a person does: Kastor's sign-in page, the local OpenID
 * provider's login form (e-mail and password from the stack's identity file), back to Kastor.
 */
export async function signIn(page: Page, stack: TestStack, login: DemoLogin, returnTo = '/'): Promise<void> {
  const user = stack.identity.users.find((candidate) => candidate.email === `${login}@kastor.local`);
  if (!user) throw new Error(`The stack has no demo user ${login}`);
  await page.goto(`${stack.webUrl}${returnTo}`);
  await page.getByRole('link', { name: /^Sign in with/ }).click();
  await page.getByLabel('Email or user name').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.origin === new URL(stack.webUrl).origin && !url.pathname.startsWith('/sign-in') && !url.pathname.startsWith('/api/'));
}

/** A new browser context (its own cookies) signed in as `login`. */
export async function signedInPage(browser: Browser, stack: TestStack, login: DemoLogin, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`${login} page error: ${error.message}`));
  await signIn(page, stack, login);
  return page;
}

/** What a browser test file works with: its database, the product on it, a signed-in tab and the demo's connections. */
export interface BrowserStack {
  database: TestDatabase;
  stack: TestStack;
  browser: Awaited<ReturnType<typeof launchBrowser>>;
  page: Page;
  ids: { kafkaConnectionId: string; kustoConnectionId: string };
}

/**
 * Starts a stack (as `npm start` does) for the test file, with a browser signed in as `login`, and
 * tears it down after the file. The fields are set once the file's `beforeAll` hooks ran.
 */
export function useBrowserStack(name: string, env: Record<string, string>, login: DemoLogin, viewport = { width: 1440, height: 1000 }): BrowserStack {
  const world = {} as BrowserStack;
  beforeAll(async () => {
    world.database = await createTestDatabase();
    world.stack = await startStack(name, world.database, env);
    world.browser = await launchBrowser(world.stack);
    world.page = await signedInPage(world.browser.browser, world.stack, login, viewport);
    const [kafka, kusto] = await Promise.all([world.database.db.kafkaConnection.findFirstOrThrow(), world.database.db.kustoConnection.findFirstOrThrow()]);
    world.ids = { kafkaConnectionId: kafka.id, kustoConnectionId: kusto.id };
  }, 360_000);
  afterAll(async () => {
    await world.browser?.close();
    await world.stack?.service.stop();
    await world.database?.drop();
  });
  return world;
}
