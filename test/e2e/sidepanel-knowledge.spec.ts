import type { Page } from '@playwright/test';
import { expect, tabIdOf, test } from './fixtures';
import { loadRawAttack, loadRawD3fend } from './sidepanel-raw-knowledge';

/**
 * The side panel with the real ATT&CK v18.1 (Enterprise) and D3FEND imported from the fixture server through the
 * panel's own Update button: tactic strip, technique card (tactics, mitigations, countermeasures checked against
 * values computed from the raw files), navigation with Back, search by name with the keyboard, a revoked id,
 * next likely moves, and screenshots of a card in light and dark themes.
 */
test.setTimeout(600_000);

async function useFixtureSources(options: Page, origin: string): Promise<void> {
  await options.evaluate(async (base) => {
    const key = 'riposte.settings';
    const stored = ((await chrome.storage.local.get(key))[key] ?? {}) as Record<string, unknown>;
    const knowledge = (stored.knowledge ?? {}) as Record<string, unknown>;
    await chrome.storage.local.set({
      [key]: {
        ...stored,
        knowledge: {
          ...knowledge,
          enterpriseUrl: `${base}/shared/attack/enterprise-attack-18.1.json.gz`,
          d3fendUrl: `${base}/shared/d3fend/d3fend-protege.ttl.gz`,
          includeMobile: false,
          includeIcs: false,
          autoUpdate: false,
        },
      },
    });
  }, origin);
  // A first-run download may have started before the settings changed: let it end (it fails offline).
  await expect
    .poll(
      async () =>
        (
          (await options.evaluate(() => chrome.runtime.sendMessage({ type: 'kb.status' }))) as {
            progress?: unknown;
          }
        ).progress ?? null,
      { timeout: 120_000 },
    )
    .toBeNull();
}

test('with ATT&CK v18.1 and D3FEND imported: tactic strip, technique card, navigation, search, revoked ids', async ({
  ext,
  server,
  extensionPage,
}, testInfo) => {
  const attack = loadRawAttack();
  const d3fend = loadRawD3fend();

  const options = await extensionPage('options.html');
  const probe = (await options.evaluate(() => chrome.runtime.sendMessage({ type: 'kb.status' }))) as {
    error?: string;
  };
  test.skip(
    typeof probe?.error === 'string' && /Malformed|cannot handle/.test(probe.error),
    `the background does not answer kb.status yet (${probe?.error}): knowledge import not wired`,
  );
  await useFixtureSources(options, server.origin);

  const page = await ext.context.newPage();
  await page.goto(`${server.url}demo-console.html`);
  const tabId = await tabIdOf(ext, page);
  const panel = await extensionPage(`sidepanel.html?tabId=${tabId}`);
  await panel.setViewportSize({ width: 360, height: 1400 });

  await test.step('import through the Update button, with progress and versions shown', async () => {
    await expect(panel.getByText('No ATT&CK or D3FEND imported yet')).toBeVisible();
    await panel.getByRole('button', { name: 'Import ATT&CK and D3FEND' }).click();
    await expect(panel.getByRole('button', { name: 'Updating…' })).toBeVisible();
    await expect(panel.locator('.knowledge-details summary')).toContainText('ATT&CK v18.1', {
      timeout: 540_000,
    });
    await expect(panel.locator('.knowledge-details summary')).toContainText('D3FEND');
  });

  await test.step('the tactic strip places the page techniques under their tactics, in kill-chain order', async () => {
    const onPage = (
      (await panel.evaluate(
        (id) => chrome.runtime.sendMessage({ type: 'tab.indicators', tabId: id }),
        tabId,
      )) as { indicators: { type: string; value: string }[] }
    ).indicators
      .filter((i) => i.type === 'attack_technique')
      .map((i) => i.value);
    expect(onPage).toEqual(expect.arrayContaining(['T1003.001', 'T1059.001', 'T1566.001', 'T1105']));
    const killChain = [
      'Reconnaissance',
      'Resource Development',
      'Initial Access',
      'Execution',
      'Persistence',
      'Privilege Escalation',
      'Defense Evasion',
      'Credential Access',
      'Discovery',
      'Lateral Movement',
      'Collection',
      'Command and Control',
      'Exfiltration',
      'Impact',
    ];
    const expected = [...new Set(onPage.flatMap((id) => attack.techniqueTactics(id)))].sort(
      (a, b) => killChain.indexOf(a) - killChain.indexOf(b),
    );
    await expect(panel.locator('.tactic-name')).toHaveText(expected);
    for (const id of onPage)
      for (const tactic of attack.techniqueTactics(id))
        await expect(
          panel
            .locator('.tactic', { has: panel.getByRole('button', { name: tactic, exact: true }) })
            .locator(`[data-technique="${id}"]`),
        ).toBeVisible();
  });

  await test.step('the T1003.001 card: tactics, mitigations and D3FEND countermeasures match the raw data', async () => {
    await panel.locator('[data-technique="T1003.001"]').click();
    const card = panel.locator('article.card');
    await expect(card.locator('h2')).toHaveText(`T1003.001 ${attack.nameOf('T1003.001')}`);
    await expect(card.locator('[data-tactic]')).toHaveText(attack.techniqueTactics('T1003.001'));
    const mitigations = card.getByRole('list', { name: 'Mitigations' });
    const shownMitigations = await mitigations.locator('.card-link .id').allTextContents();
    expect(shownMitigations.sort()).toEqual(attack.mitigationsOf('T1003.001'));

    const expected = d3fend.sameArtifactCountermeasures('T1003.001');
    expect(expected.size).toBeGreaterThan(5);
    for (const more of await card
      .locator('#sec-countermeasures ~ * button.more, .d3-group button.more')
      .all())
      if ((await more.getAttribute('aria-expanded')) === 'false') await more.click();
    const shown = await card.locator('[data-d3fend-id]').evaluateAll((els) =>
      els.map((el) => ({
        id: el.getAttribute('data-d3fend-id') ?? '',
        name: el.querySelector('.card-link')?.textContent ?? '',
        path: el.querySelector('.path')?.textContent ?? '',
        tactic: el.closest('[data-d3fend-tactic]')?.getAttribute('data-d3fend-tactic') ?? '',
      })),
    );
    const shownIds = new Set(shown.map((s) => s.id));
    for (const [id, label] of expected) {
      expect(shownIds, `${id} (${label}) acts on an artifact T1003.001 acts on`).toContain(id);
    }
    for (const s of shown) {
      expect(s.name).toContain(d3fend.labelOf(s.id) ?? '(not in D3FEND)');
      expect(s.path).toContain('T1003.001');
      expect(['Model', 'Harden', 'Detect', 'Isolate', 'Deceive', 'Evict', 'Restore', 'Other']).toContain(
        s.tactic,
      );
    }
    const psa = shown.find((s) => s.id === 'D3-PSA');
    expect(psa?.tactic).toBe('Detect');
    expect(psa?.path).toMatch(/Process Spawn Analysis analyzes Process, which T1003\.001 accesses/);
    await expect(card.getByRole('link', { name: /Open on attack\.mitre\.org/ })).toHaveAttribute(
      'href',
      'https://attack.mitre.org/techniques/T1003/001',
    );
    for (const colorScheme of ['light', 'dark'] as const) {
      await panel.emulateMedia({ colorScheme });
      await panel.screenshot({ path: testInfo.outputPath(`sidepanel-card-T1003.001-${colorScheme}.png`) });
    }
    await panel.emulateMedia({ colorScheme: 'light' });
  });

  await test.step('a mitigation opens its card; Back returns to the technique, then to the page', async () => {
    const card = panel.locator('article.card');
    await card.getByRole('list', { name: 'Mitigations' }).getByRole('link', { name: /M1043/ }).click();
    await expect(card.locator('h2')).toContainText('M1043');
    await expect(card.getByRole('list', { name: 'Techniques' })).toContainText('T1003.001');
    await panel.getByRole('button', { name: /Back/ }).click();
    await expect(card.locator('h2')).toContainText('T1003.001');
    await panel.getByRole('button', { name: /Back/ }).click();
    await expect(panel.getByRole('heading', { name: 'This page', exact: true })).toBeVisible();
  });

  await test.step('search finds by name as you type; arrows and Enter open a result', async () => {
    const box = panel.getByRole('combobox');
    await box.fill('LSASS Memory');
    await expect(panel.getByRole('option').first()).toContainText('T1003.001');
    await box.fill('powershell');
    const options = panel.getByRole('option');
    await expect(options.first()).toContainText('T1059.001');
    await expect(box).toHaveAttribute('aria-activedescendant', 'search-option-0');
    await box.press('ArrowDown');
    await expect(box).toHaveAttribute('aria-activedescendant', 'search-option-1');
    const second = (await options.nth(1).getAttribute('data-id')) ?? '';
    await box.press('ArrowUp');
    await box.press('Enter');
    await expect(panel.locator('article.card h2')).toContainText('T1059.001');
    expect(second).not.toBe('T1059.001');
    // Its description's first citation links to the source ATT&CK gives for it (computed from the raw bundle).
    const citation = attack.firstCitation('T1059.001');
    expect(citation?.url).toMatch(/^https?:\/\//);
    const firstRef = panel.locator('article.card .references li').first();
    await expect(firstRef).toContainText(citation?.name ?? '(no citation)');
    const source = firstRef.getByRole('link', { name: citation?.name ?? '' });
    await expect(source).toHaveAttribute('href', new URL(citation?.url ?? 'about:blank').href);
    await expect(source).toHaveAttribute('target', '_blank');
    await expect(source).toHaveAttribute('rel', 'noopener noreferrer');
    await expect(panel.locator('article.card sup.ref a').first()).toHaveAttribute('href', /-1$/);
    await expect(panel.getByRole('heading', { name: /Next likely moves/ })).toBeVisible();
    await expect(panel.locator('.next-moves [data-hint]').first()).toBeVisible();
    await panel.getByRole('button', { name: 'Close' }).click();
  });

  await test.step('a revoked id on a page says what replaced it', async () => {
    server.route((req, res) => {
      if (req.url !== '/revoked.html') return false;
      res.writeHead(200, { 'content-type': 'text/html' }).end('<p>Old report: T1086 was observed.</p>');
      return true;
    });
    const old = await ext.context.newPage();
    await old.goto(`${server.url}revoked.html`);
    const oldPanel = await extensionPage(`sidepanel.html?tabId=${await tabIdOf(ext, old)}`);
    await oldPanel.getByRole('button', { name: 'Open the card of T1086' }).click();
    const replacement = attack.revokedBy('T1086');
    expect(replacement).toBe('T1059.001');
    await expect(oldPanel.locator('.notice')).toContainText(
      `T1086 (PowerShell) was revoked; it is now ${replacement}`,
    );
    await expect(oldPanel.locator('article.card h2')).toContainText(replacement ?? '');
  });
});
