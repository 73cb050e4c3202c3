import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { waitFor } from './harness';

export const ARTIFACTS_DIR = path.resolve(import.meta.dirname, '../../test-results');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, with the flags that keep it off the network; a fresh profile each launch. */
export async function launchBrowser(): Promise<{ browser: Browser; close(): Promise<void> }> {
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
