// @vitest-environment happy-dom
import { render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { CardPanel } from '../../../components/CardPanel';
import { buildCard, type TechniqueCard } from '../../../lib/knowledge/card';
import { buildKnowledgeIndex } from '../../../lib/knowledge/knowledge-index';
import { parseStixBundle } from '../../../lib/knowledge/stix';
import { makeMiniBundle } from '../../fixtures/knowledge/mini-bundle';

// A technique's `(Citation: X)` markers link to the sources in its STIX `external_references`.
function powershellCard(): TechniqueCard {
  const bundle = makeMiniBundle();
  const objects = bundle.objects as Record<string, unknown>[];
  const t = objects.find(
    (o) => o.type === 'attack-pattern' && JSON.stringify(o.external_references).includes('"T1059.001"'),
  ) as Record<string, unknown>;
  t.description =
    'Adversaries may abuse PowerShell. (Citation: TechNet PowerShell) Often through a loader. (Citation: Evil Vendor)(Citation: No Link)';
  t.external_references = [
    ...(t.external_references as unknown[]),
    {
      source_name: 'TechNet PowerShell',
      url: 'https://technet.microsoft.com/en-us/scriptcenter/dd742419.aspx',
      description: 'Microsoft. (n.d.). Windows PowerShell Scripting.',
    },
    { source_name: 'Evil Vendor', url: 'javascript:alert(1)', description: 'A hostile URL.' },
    { source_name: 'No Link', description: 'A report without a URL.' },
    { source_name: 'Not Cited', url: 'https://example.com/not-cited', description: 'Never cited.' },
    {
      source_name: 'capec',
      external_id: 'CAPEC-123',
      url: 'https://capec.mitre.org/data/definitions/123.html',
    },
  ];
  const parsed = parseStixBundle(bundle);
  if (!parsed.ok) throw new Error(parsed.error);
  return buildCard(buildKnowledgeIndex(parsed.value, null), 'T1059.001') as TechniqueCard;
}

let root: HTMLElement | undefined;
afterEach(() => {
  if (!root) return;
  render(null, root);
  root.remove();
  root = undefined;
});

describe('card references', () => {
  it('carry the sources the card cites, with their URL and description, and nothing else', () => {
    expect(powershellCard().references).toEqual([
      {
        name: 'TechNet PowerShell',
        url: 'https://technet.microsoft.com/en-us/scriptcenter/dd742419.aspx',
        description: 'Microsoft. (n.d.). Windows PowerShell Scripting.',
      },
      { name: 'Evil Vendor', url: 'javascript:alert(1)', description: 'A hostile URL.' },
      { name: 'No Link', description: 'A report without a URL.' },
    ]);
  });

  it('turn the reference list into links to the sources (http(s) only, new tab, no opener or referrer)', () => {
    const card = powershellCard();
    const el = document.createElement('div');
    root = el;
    document.body.append(el);
    render(
      <CardPanel
        view={{ id: card.id, state: 'ready', card }}
        canGoBack={false}
        onBack={() => undefined}
        onClose={() => undefined}
        onOpen={() => undefined}
      />,
      el,
    );
    const items = [...el.querySelectorAll('.references li')];
    expect(items.map((li) => li.querySelector('a, span')?.textContent)).toEqual([
      'TechNet PowerShell',
      'Evil Vendor',
      'No Link',
    ]);
    const link = items[0]?.querySelector('a') as HTMLAnchorElement;
    expect(link.getAttribute('href')).toBe('https://technet.microsoft.com/en-us/scriptcenter/dd742419.aspx');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(items[0]?.textContent).toContain('Windows PowerShell Scripting');
    // A javascript: URL is never a link; the name and description stay as text.
    expect(items[1]?.querySelector('a')).toBeNull();
    expect(items[1]?.textContent).toContain('A hostile URL.');
    expect(items[2]?.querySelector('a')).toBeNull();
    expect(el.querySelector('a[href^="javascript:"]')).toBeNull();
    // The markers in the description point at the list.
    expect([...el.querySelectorAll('sup.ref a')].map((a) => a.getAttribute('href'))).toEqual([
      '#ref-T1059.001-1',
      '#ref-T1059.001-2',
      '#ref-T1059.001-3',
    ]);
  });
});
