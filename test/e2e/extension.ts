import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Worker } from '@playwright/test';
import { repoRoot } from './server';

/** Where the built Chrome extension is, and which Chromium runs it (CHROMIUM_PATH, default Debian's). */
export const extensionDir = path.join(repoRoot, '.output/chrome-mv3');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface LoadedExtension {
  context: BrowserContext;
  extensionId: string;
  serviceWorker: Worker;
  close(): Promise<void>;
}

/** Launches Chromium with a fresh profile and the built extension loaded. */
export async function launchWithExtension(options: { headless?: boolean } = {}): Promise<LoadedExtension> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'riposte-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: options.headless ?? true,
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  const serviceWorker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(serviceWorker.url()).host;
  return {
    context,
    extensionId,
    serviceWorker,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
