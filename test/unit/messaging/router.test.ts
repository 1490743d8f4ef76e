import { describe, expect, it, vi } from 'vitest';
import { createRouter } from '../../../lib/messaging/router';
import { classifySender } from '../../../lib/messaging/sender';

const self = { id: 'riposte-id', baseUrl: 'chrome-extension://riposte-id/' };
const extensionPage = { id: 'riposte-id', url: 'chrome-extension://riposte-id/sidepanel.html' };
const extensionPageInTab = { ...extensionPage, tab: { id: 4 } };
const contentScript = { id: 'riposte-id', url: 'https://siem.example/alerts', tab: { id: 7 }, frameId: 3 };
const otherExtension = { id: 'someone-else', url: 'chrome-extension://someone-else/x.html' };
const webPage = { url: 'https://evil.example/', tab: { id: 9 } };

describe('classifySender', () => {
  it('recognises each sender class', () => {
    expect(classifySender(extensionPage, self)).toEqual({ kind: 'extension-page', url: extensionPage.url });
    expect(classifySender(extensionPageInTab, self).kind).toBe('extension-page');
    expect(classifySender(contentScript, self)).toEqual({
      kind: 'content-script',
      tabId: 7,
      frameId: 3,
      url: contentScript.url,
    });
    expect(classifySender(otherExtension, self).kind).toBe('untrusted');
    expect(classifySender(webPage, self).kind).toBe('untrusted');
    expect(classifySender({ id: 'riposte-id', url: 'https://x.example/' }, self).kind).toBe('untrusted');
  });

  it('does not let a page whose URL merely mentions the extension pass as an extension page', () => {
    const spoof = {
      id: 'riposte-id',
      url: 'https://evil.example/chrome-extension://riposte-id/',
      tab: { id: 2 },
    };
    expect(classifySender(spoof, self).kind).toBe('content-script');
  });
});

describe('router', () => {
  const indicators = [{ type: 'ipv4' as const, value: '203.0.113.5', count: 2 }];
  const make = () => {
    const log = vi.fn();
    const handler = vi.fn(() => ({ indicators }));
    const route = createRouter({ self, handlers: { 'tab.indicators': handler }, log });
    return { route, log, handler };
  };

  it('answers an extension page', async () => {
    const { route, handler } = make();
    await expect(route({ type: 'tab.indicators', tabId: 5 }, extensionPage)).resolves.toEqual({ indicators });
    expect(handler).toHaveBeenCalledWith(
      { type: 'tab.indicators', tabId: 5 },
      expect.objectContaining({ kind: 'extension-page' }),
    );
  });

  it('refuses the same message from a content script, with a logged reason', async () => {
    const { route, handler, log } = make();
    const reply = await route({ type: 'tab.indicators', tabId: 5 }, contentScript);
    expect(reply).toEqual({ error: 'Refused: tab.indicators may not be sent from a content script.' });
    expect(handler).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith(expect.stringContaining('content script of tab 7 frame 3'));
  });

  it('refuses anything from another extension or a web page', async () => {
    const { route, handler } = make();
    for (const sender of [otherExtension, webPage]) {
      await expect(route({ type: 'tab.indicators', tabId: 5 }, sender)).resolves.toEqual({
        error: 'Refused: unknown sender.',
      });
    }
    expect(handler).not.toHaveBeenCalled();
  });

  it('rejects malformed and unknown messages without calling a handler', async () => {
    const { route, handler, log } = make();
    const bad = await route({ type: 'tab.indicators', tabId: -1 }, extensionPage);
    expect(bad).toEqual({ error: expect.stringMatching(/^Malformed "tab.indicators" message: tabId/) });
    expect(await route({ type: 'nope' }, extensionPage)).toEqual({
      error: expect.stringMatching(/Malformed "nope"/),
    });
    expect(await route('tab.indicators', extensionPage)).toEqual({
      error: expect.stringMatching(/Malformed untyped/),
    });
    expect(await route(null, extensionPage)).toEqual({ error: expect.stringMatching(/Malformed untyped/) });
    expect(handler).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledTimes(4);
  });

  it('bounds what a content script may report', async () => {
    const report = vi.fn(() => ({ ok: true as const }));
    const route = createRouter({ self, handlers: { 'page.report': report }, log: () => {} });
    const tooMany = Array.from({ length: 20_001 }, (_, i) => ({
      type: 'ipv4',
      value: `10.0.${i >> 8}.${i & 255}`,
      count: 1,
    }));
    expect(
      await route({ type: 'page.report', url: 'https://x/', indicators: tooMany }, contentScript),
    ).toHaveProperty('error');
    expect(
      await route(
        {
          type: 'page.report',
          url: 'https://x/',
          indicators: [{ type: 'ipv4', value: 'x'.repeat(5000), count: 1 }],
        },
        contentScript,
      ),
    ).toHaveProperty('error');
    expect(await route({ type: 'page.report', url: 'https://x/', indicators }, contentScript)).toEqual({
      ok: true,
    });
    expect(report).toHaveBeenCalledTimes(1);
  });

  it('turns a handler failure into an error reply', async () => {
    const route = createRouter({
      self,
      handlers: {
        'tab.indicators': () => {
          throw new Error('Tab 5 is gone.');
        },
      },
      log: () => {},
    });
    expect(await route({ type: 'tab.indicators', tabId: 5 }, extensionPage)).toEqual({
      error: 'Tab 5 is gone.',
    });
  });

  it('says so when nothing handles a valid message', async () => {
    const route = createRouter({ self, handlers: {}, log: () => {} });
    expect(await route({ type: 'tab.indicators', tabId: 1 }, extensionPage)).toEqual({
      error: 'Riposte cannot handle tab.indicators here.',
    });
  });
});
