import { MINI_D3FEND_TTL, makeMiniBundle, toStix21 } from '../fixtures/knowledge/mini-bundle';
import { expect, test } from './fixtures';

type Lookup = {
  ready?: boolean;
  entries?: Record<string, { status: string; name?: string }>;
  error?: string;
};

test('air-gapped import from files in the options page: bad files change nothing, good files replace the knowledge', async ({
  extensionPage,
}) => {
  const options = await extensionPage('options.html');
  const chooser = options.getByLabel('Choose knowledge files');
  const lookup = () =>
    options.evaluate(() =>
      chrome.runtime.sendMessage({ type: 'kb.lookup', ids: ['T1003.001'] }),
    ) as Promise<Lookup>;

  await chooser.setInputFiles({
    name: 'enterprise-attack.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"type": "bund'),
  });
  await expect(options.getByRole('status').filter({ hasText: 'Import failed' })).toContainText(
    'The previous knowledge is still in use',
  );
  expect((await lookup()).ready).toBe(false);

  const bundle = JSON.stringify(toStix21(makeMiniBundle({ lsassName: 'LSASS Memory (from disk)' })));
  await chooser.setInputFiles([
    { name: 'enterprise-attack.json', mimeType: 'application/json', buffer: Buffer.from(bundle) },
    { name: 'd3fend.ttl', mimeType: 'text/turtle', buffer: Buffer.from(MINI_D3FEND_TTL) },
  ]);
  await expect(options.getByText('Imported enterprise-attack.json, d3fend.ttl.')).toBeVisible({
    timeout: 30_000,
  });
  await expect
    .poll(async () => (await lookup()).entries?.['T1003.001']?.name)
    .toBe('LSASS Memory (from disk)');

  // A Turtle file with a syntax error: refused in words, the knowledge just imported stays in use.
  await chooser.setInputFiles({
    name: 'd3fend.ttl',
    mimeType: 'text/turtle',
    buffer: Buffer.from('@prefix d3f: <x> .\nd3f:a d3f:b'),
  });
  await expect(options.getByRole('status').filter({ hasText: 'Import failed' })).toBeVisible();
  const after = await lookup();
  expect(after.ready).toBe(true);
  expect(after.entries?.['T1003.001']?.status).toBe('current');
});
