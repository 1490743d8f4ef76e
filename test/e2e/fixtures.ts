import { test as base, expect, type Page } from '@playwright/test';
import { type LoadedExtension, launchWithExtension } from './extension';
import { type FixtureServer, startFixtureServer } from './server';

/**
 * Playwright fixtures: a fresh Chromium profile with the built extension, and the fixture server on 127.0.0.1.
 * `extensionPage(path)` opens one of the extension's own pages (side panel as a tab, options).
 */
export const test = base.extend<{
  ext: LoadedExtension;
  server: FixtureServer;
  extensionPage: (path: string) => Promise<Page>;
}>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature.
  ext: async ({}, use) => {
    const ext = await launchWithExtension();
    await use(ext);
    await ext.close();
  },
  // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature.
  server: async ({}, use) => {
    const server = await startFixtureServer();
    await use(server);
    await server.close();
  },
  extensionPage: async ({ ext }, use) => {
    await use(async (path: string) => {
      const page = await ext.context.newPage();
      await page.goto(`chrome-extension://${ext.extensionId}/${path.replace(/^\//, '')}`);
      return page;
    });
  },
});

/** The id Chromium gave a page's tab, read through the extension (the side panel's `?tabId=`). */
export async function tabIdOf(ext: LoadedExtension, page: Page): Promise<number> {
  const url = page.url();
  const id = await ext.serviceWorker.evaluate(async (target) => {
    const tabs = await chrome.tabs.query({});
    return tabs.find((t) => t.url === target)?.id;
  }, url);
  if (typeof id !== 'number') throw new Error(`no tab for ${url}`);
  return id;
}

export { expect };
