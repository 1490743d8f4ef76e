import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { migrateSettings } from '../../../lib/settings/migrate';
import { DEFAULT_SETTINGS } from '../../../lib/settings/schema';
import {
  deleteSecrets,
  readSecrets,
  SECRETS_KEY,
  secretPresence,
  writeSecrets,
} from '../../../lib/settings/secrets';
import { pageConfigFor } from '../../../lib/settings/site-policy';
import { loadSettings, SETTINGS_KEY, settingsCache, updateSettings } from '../../../lib/settings/store';

function area(initial: Record<string, unknown> = {}) {
  const data: Record<string, unknown> = structuredClone(initial);
  return {
    data,
    async get(keys?: string | string[] | null) {
      if (keys == null) return structuredClone(data);
      const list = Array.isArray(keys) ? keys : [keys];
      return Object.fromEntries(list.filter((k) => k in data).map((k) => [k, structuredClone(data[k])]));
    },
    async set(items: Record<string, unknown>) {
      Object.assign(data, structuredClone(items));
    },
  };
}

describe('settings', () => {
  it('gives complete defaults on a fresh install', async () => {
    const { settings, locked, problems } = await loadSettings(fakeBrowser.storage.local);
    expect(settings).toEqual(DEFAULT_SETTINGS);
    expect(settings.knowledge.d3fendUrl).toBe('https://d3fend.mitre.org/ontologies/d3fend.ttl');
    expect(locked).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('round-trips an update through extension storage', async () => {
    await updateSettings(fakeBrowser.storage.local, (s) => ({ ...s, denyList: ['mail.example.com'] }));
    const { settings } = await loadSettings(fakeBrowser.storage.local);
    expect(settings.denyList).toEqual(['mail.example.com']);
  });

  it('refuses an invalid update and keeps what was stored', async () => {
    const local = area();
    await updateSettings(local, (s) => ({ ...s, paused: true }));
    await expect(
      updateSettings(local, (s) => ({
        ...s,
        knowledge: { ...s.knowledge, d3fendUrl: 'file:///etc/passwd' },
      })),
    ).rejects.toThrow(/Settings not saved/);
    expect((await loadSettings(local)).settings.paused).toBe(true);
  });

  it('migrates an unversioned object and salvages the fields that still parse', async () => {
    const local = area({
      [SETTINGS_KEY]: { paused: true, denyList: 'not-a-list', pausedSites: ['Wiki.Example'] },
    });
    const { settings, problems } = await loadSettings(local);
    expect(settings.version).toBe(1);
    expect(settings.paused).toBe(true);
    expect(settings.pausedSites).toEqual(['wiki.example']);
    expect(settings.denyList).toEqual([]);
    expect(problems).toEqual([expect.stringMatching(/Setting "denyList" was invalid and has been reset/)]);
  });

  it('runs migrations in order and refuses a gap', () => {
    const steps = {
      0: (s: Record<string, unknown>) => ({ ...s, a: 1, version: 1 }),
      1: (s: Record<string, unknown>) => ({ ...s, b: (s.a as number) + 1, version: 2 }),
    };
    expect(migrateSettings({}, steps, 2).value).toEqual({ a: 1, b: 2, version: 2 });
    expect(migrateSettings({ version: 1, a: 5 }, steps, 2).value).toEqual({ a: 5, b: 6, version: 2 });
    expect(() => migrateSettings({ version: 1 }, { 0: steps[0] }, 2)).toThrow(
      /No settings migration from version 1/,
    );
    expect(migrateSettings({ version: 9 }, steps, 2).newer).toBe(true);
  });

  it('lays managed policy on top, locks it, and only adds protection to lists', async () => {
    const local = area();
    await updateSettings(local, (s) => ({
      ...s,
      paused: true,
      denyList: ['personal.example'],
      actions: { ...s.actions, protected: ['10.0.0.0/8'] },
    }));
    const managed = area({
      paused: false,
      denyList: ['hr.corp.example'],
      actions: {
        protected: ['corp.example'],
        connectors: [{ id: 'cs-prod', vendor: 'crowdstrike', label: 'Falcon (prod)' }],
      },
    });
    const { settings, locked, policyConnectors } = await loadSettings(local, managed);
    expect(settings.paused).toBe(false);
    expect(settings.denyList).toEqual(['hr.corp.example', 'personal.example']);
    expect(settings.actions.protected).toEqual(['corp.example', '10.0.0.0/8']);
    expect(settings.actions.connectors.map((c) => c.id)).toEqual(['cs-prod']);
    expect(locked).toEqual(['paused', 'denyList', 'actions']);
    expect(policyConnectors).toEqual(['cs-prod']);
  });

  it('ignores an unreadable policy with a reason instead of failing', async () => {
    const { settings, problems } = await loadSettings(area(), area({ paused: 'yes' }));
    expect(settings.paused).toBe(false);
    expect(problems[0]).toMatch(/policy could not be read/);
  });
});

describe('site policy', () => {
  const base = DEFAULT_SETTINGS;
  it('scans http(s) pages by default and nothing else', () => {
    expect(pageConfigFor('https://siem.corp.example/search', base)).toEqual({ enabled: true });
    expect(pageConfigFor('file:///tmp/x.html', base).enabled).toBe(false);
    expect(pageConfigFor('not a url', base).enabled).toBe(false);
  });
  it('honours pause, paused sites, deny and allow lists with reasons', () => {
    expect(pageConfigFor('https://a.example/', { ...base, paused: true })).toEqual({
      enabled: false,
      reason: 'Paused everywhere',
    });
    expect(pageConfigFor('https://x.wiki.example/', { ...base, pausedSites: ['wiki.example'] }).reason).toBe(
      'Paused on x.wiki.example',
    );
    expect(
      pageConfigFor('https://notwiki.example/', { ...base, pausedSites: ['wiki.example'] }).enabled,
    ).toBe(true);
    const deny = { ...base, denyList: ['*.mail.example', 'https://console.example/private/*'] };
    expect(pageConfigFor('https://eu.mail.example/inbox', deny).enabled).toBe(false);
    expect(pageConfigFor('https://console.example/private/1', deny).enabled).toBe(false);
    expect(pageConfigFor('https://console.example/alerts/1', deny).enabled).toBe(true);
    const allow = { ...base, allowList: ['splunk.corp.example'] };
    expect(pageConfigFor('https://splunk.corp.example/en-US/app', allow).enabled).toBe(true);
    expect(pageConfigFor('https://news.example/', allow)).toEqual({
      enabled: false,
      reason: 'news.example is not on the allow list',
    });
  });
});

describe('secrets', () => {
  it('keeps secrets per instance, session-only when asked, and never erases on an empty field', async () => {
    const stores = { local: area(), session: area() };
    await writeSecrets(stores, 'cs-1', { clientSecret: 's3cr3t', clientId: 'abc' }, false);
    await writeSecrets(stores, 'cs-1', { clientSecret: '' }, false);
    expect(await readSecrets(stores, 'cs-1')).toEqual({ clientSecret: 's3cr3t', clientId: 'abc' });
    await writeSecrets(stores, 'cs-1', {}, true);
    expect(stores.local.data[SECRETS_KEY]).toEqual({});
    expect(await readSecrets(stores, 'cs-1')).toEqual({ clientSecret: 's3cr3t', clientId: 'abc' });
    expect(await secretPresence(stores, 'cs-1', ['clientSecret', 'apiKey'])).toEqual({
      clientSecret: true,
      apiKey: false,
    });
    await deleteSecrets(stores, 'cs-1');
    expect(await readSecrets(stores, 'cs-1')).toEqual({});
  });
});

describe('the background’s settings cache', () => {
  it('reads once, reads again after forget(), and does not keep a failed read', async () => {
    const local = area({ [SETTINGS_KEY]: { version: 1, highlight: { hash: false } } });
    let reads = 0;
    let failNext = false;
    const cache = settingsCache(async () => {
      reads++;
      if (failNext) {
        failNext = false;
        throw new Error('storage is not available yet');
      }
      return loadSettings(local);
    });
    expect((await cache.get()).settings.highlight.hash).toBe(false);
    await cache.get();
    expect(reads).toBe(1);

    cache.forget();
    failNext = true;
    await expect(cache.get()).rejects.toThrow('storage is not available yet');
    // The failure is not served to the next page.config: it reads again and gets the settings.
    expect((await cache.get()).settings.highlight.hash).toBe(false);
    expect(reads).toBe(3);
  });
});
