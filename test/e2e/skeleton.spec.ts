import { evaluateInContentScript } from './content-world';
import { expect, tabIdOf, test } from './fixtures';

type Reply = { indicators?: { type: string; value: string; count: number }[]; error?: string };

test('the content script reports from the top page, a same-origin iframe and a srcdoc iframe', async ({
  ext,
  server,
  extensionPage,
}) => {
  const page = await ext.context.newPage();
  await page.goto(`${server.url}frames.html`);
  const tabId = await tabIdOf(ext, page);
  const panel = await extensionPage(`sidepanel.html?tabId=${tabId}`);
  await expect
    .poll(async () => {
      const reply = (await panel.evaluate(
        (id) => chrome.runtime.sendMessage({ type: 'tab.indicators', tabId: id }),
        tabId,
      )) as Reply;
      return (reply.indicators ?? []).map((i) => `${i.type}:${i.value}`).sort();
    })
    .toEqual(
      expect.arrayContaining([
        'ipv4:203.0.113.77', // top document
        'url:https://update-check.example-bad.com/gate.php', // same-origin iframe, defanged in the page
        'md5:44d88612fea8a8f36de82e1278abb02f', // srcdoc iframe
      ]),
    );
});

test('the side panel page renders the tab it is pointed at', async ({
  ext,
  server,
  extensionPage,
}, testInfo) => {
  const page = await ext.context.newPage();
  await page.goto(`${server.url}demo-console.html`);
  const tabId = await tabIdOf(ext, page);
  const panel = await extensionPage(`sidepanel.html?tabId=${tabId}`);
  await panel.setViewportSize({ width: 380, height: 900 });
  await expect(panel.getByRole('heading', { name: 'Riposte' })).toBeVisible();
  await expect(panel.locator('[data-value="198.51.100.23"]').first()).toBeVisible();
  await panel.screenshot({ path: testInfo.outputPath('sidepanel-demo-console.png'), fullPage: true });
});

test('the side panel says so honestly when a page has no indicators', async ({
  ext,
  server,
  extensionPage,
}) => {
  server.route((req, res) => {
    if (req.url !== '/plain.html') return false;
    res.writeHead(200, { 'content-type': 'text/html' }).end('<p>Nothing to see here.</p>');
    return true;
  });
  const page = await ext.context.newPage();
  await page.goto(`${server.url}plain.html`);
  const tabId = await tabIdOf(ext, page);
  const panel = await extensionPage(`sidepanel.html?tabId=${tabId}`);
  await expect(panel.getByText('No indicators on this page yet.')).toBeVisible();
});

test('the background answers tab.indicators from an extension page and refuses it from a content script', async ({
  ext,
  server,
  extensionPage,
}) => {
  const page = await ext.context.newPage();
  await page.goto(`${server.url}frames.html`);
  const tabId = await tabIdOf(ext, page);
  const options = await extensionPage('options.html');
  const fromPage = (await options.evaluate(
    (id) => chrome.runtime.sendMessage({ type: 'tab.indicators', tabId: id }),
    tabId,
  )) as Reply;
  expect(fromPage.error).toBeUndefined();
  expect(Array.isArray(fromPage.indicators)).toBe(true);

  const fromContent = await evaluateInContentScript<Reply>(
    page,
    ext.extensionId,
    `chrome.runtime.sendMessage({ type: 'tab.indicators', tabId: ${tabId} })`,
  );
  expect(fromContent.indicators).toBeUndefined();
  expect(fromContent.error).toMatch(/may not be sent from a content script/);
});

test('a malformed message is rejected with a reason, from any sender', async ({
  ext,
  server,
  extensionPage,
}) => {
  const options = await extensionPage('options.html');
  const malformed = (await options.evaluate(() =>
    chrome.runtime.sendMessage({ type: 'tab.indicators', tabId: 'all of them' }),
  )) as Reply;
  expect(malformed.error).toMatch(/Malformed "tab.indicators" message: tabId/);

  const unknown = (await options.evaluate(() =>
    chrome.runtime.sendMessage({ type: 'settings.dump' }),
  )) as Reply;
  expect(unknown.error).toMatch(/Malformed "settings.dump" message/);

  const page = await ext.context.newPage();
  await page.goto(`${server.url}frames.html`);
  const oversized = await evaluateInContentScript<Reply>(
    page,
    ext.extensionId,
    `chrome.runtime.sendMessage({ type: 'page.report', url: location.href, indicators: [{ type: 'ipv4', value: '', count: -1 }] })`,
  );
  expect(oversized.error).toMatch(/Malformed "page.report" message/);
});

test('smoke: a click on an extension page opens the real side panel', async ({ ext, extensionPage }) => {
  const options = await extensionPage('options.html');
  const sidePanels = () =>
    ext.serviceWorker.evaluate(async () => {
      const contexts = await chrome.runtime.getContexts({
        contextTypes: ['SIDE_PANEL' as chrome.runtime.ContextType],
      });
      return contexts.map(
        (c) => (c.documentUrl ?? '').replace(/^chrome-extension:\/\/[^/]+/, '').split('?')[0],
      );
    });
  expect(await sidePanels()).toEqual([]);
  await options.getByRole('button', { name: 'Open side panel' }).click();
  await expect.poll(sidePanels).toEqual(['/sidepanel.html']);
});
