/**
 * `npm start`: builds Riposte, serves the demo SOC console on 127.0.0.1, and opens Chromium (CHROMIUM_PATH, default
 * /usr/bin/chromium) with a fresh profile and the extension loaded, on the demo page. Close the browser to stop.
 * RIPOSTE_HEADLESS=1 runs it headless (for machines without a display) and exits after printing what loaded.
 */
import { spawnSync } from 'node:child_process';
import { launchWithExtension } from '../test/e2e/extension';
import { repoRoot, startFixtureServer } from '../test/e2e/server';

const build = spawnSync('npx', ['wxt', 'build'], { cwd: repoRoot, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const headless =
  process.env.RIPOSTE_HEADLESS === '1' || (!process.env.DISPLAY && process.platform === 'linux');
if (headless && process.env.RIPOSTE_HEADLESS !== '1') {
  console.log('No display found: starting headless (set DISPLAY to see the browser).');
}
const server = await startFixtureServer(Number(process.env.RIPOSTE_DEMO_PORT ?? 5174));
const ext = await launchWithExtension({ headless });
const page = ext.context.pages()[0] ?? (await ext.context.newPage());
await page.goto(`${server.url}demo-console.html`);
console.log(`Riposte ${ext.extensionId} loaded. Demo console: ${server.url}demo-console.html`);
console.log(`Side panel as a tab: chrome-extension://${ext.extensionId}/sidepanel.html`);

const stop = async () => {
  await server.close();
  await ext.close().catch(() => undefined);
  process.exit(0);
};
if (headless) {
  const tabId = await ext.serviceWorker.evaluate(
    async (url) => (await chrome.tabs.query({ url }))[0]?.id,
    page.url(),
  );
  const panel = await ext.context.newPage();
  await panel.goto(`chrome-extension://${ext.extensionId}/sidepanel.html?tabId=${tabId}`);
  await panel.locator('[data-value]').first().waitFor({ timeout: 15_000 });
  const values = await panel
    .locator('[data-value]')
    .evaluateAll((items) => items.map((i) => i.getAttribute('data-value')));
  console.log(
    `The side panel lists ${values.length} indicators on the demo console: ${values.slice(0, 8).join(', ')}, …`,
  );
  await stop();
} else {
  ext.context.on('close', () => void stop());
  process.on('SIGINT', () => void stop());
}
