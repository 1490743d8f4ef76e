import type { Page } from '@playwright/test';

/**
 * Runs an expression inside Riposte's content-script world (the isolated world Chromium creates for the
 * extension in that frame), through the DevTools protocol. This is how tests act *as* the content script, e.g. to
 * check that the background refuses privileged messages from it.
 */
export async function evaluateInContentScript<T>(
  page: Page,
  extensionId: string,
  expression: string,
): Promise<T> {
  const cdp = await page.context().newCDPSession(page);
  const contexts: {
    id: number;
    origin: string;
    name: string;
    auxData?: { type?: string; isDefault?: boolean };
  }[] = [];
  cdp.on('Runtime.executionContextCreated', (event) => contexts.push(event.context));
  await cdp.send('Runtime.enable');
  const deadline = Date.now() + 10_000;
  let target: (typeof contexts)[number] | undefined;
  while (!target && Date.now() < deadline) {
    target = contexts.find(
      (c) => c.auxData?.type === 'isolated' && c.origin === `chrome-extension://${extensionId}`,
    );
    if (!target) await new Promise((r) => setTimeout(r, 50));
  }
  if (!target) throw new Error('Riposte content script world not found in the page');
  const result = await cdp.send('Runtime.evaluate', {
    expression,
    contextId: target.id,
    awaitPromise: true,
    returnByValue: true,
  });
  await cdp.detach();
  if (result.exceptionDetails)
    throw new Error(result.exceptionDetails.exception?.description ?? 'evaluation failed');
  return result.result.value as T;
}
