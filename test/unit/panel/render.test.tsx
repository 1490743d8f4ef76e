// @vitest-environment happy-dom
import { render } from 'preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CardPanel } from '../../../components/CardPanel';
import { Markdown, References } from '../../../components/Markdown';
import { SearchBox } from '../../../components/SearchBox';
import type { TechniqueCard } from '../../../lib/knowledge/card';
import { parseMarkdown, ReferenceList } from '../../../lib/panel/markdown';

let root: HTMLElement;
function mount(vnode: preact.ComponentChild): HTMLElement {
  root = document.createElement('div');
  document.body.append(root);
  render(vnode, root);
  return root;
}
afterEach(() => {
  render(null, root);
  root.remove();
});

describe('Markdown', () => {
  it('renders page-hostile markup as inert text, with no element or handler created from it', () => {
    const refs = new ReferenceList();
    const nodes = parseMarkdown(
      'Hello <img src=x onerror="window.pwned=1"> [x](javascript:window.pwned=1) **bold** (Citation: Vendor)',
      refs,
    );
    const el = mount(
      <>
        <Markdown nodes={nodes} refPrefix="ref-T1" />
        <References items={refs.items} refPrefix="ref-T1" />
      </>,
    );
    expect(el.querySelector('img')).toBeNull();
    expect(el.querySelector('[onerror]')).toBeNull();
    expect([...el.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual(['#ref-T1-1']);
    expect(el.querySelector('strong')?.textContent).toBe('bold');
    expect(el.textContent).toContain('<img src=x onerror="window.pwned=1">');
    expect(el.querySelector('#ref-T1-1')?.textContent).toBe('Vendor');
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
  });

  it('opens ATT&CK links as cards inside the panel', () => {
    const refs = new ReferenceList();
    const open = vi.fn();
    const el = mount(
      <Markdown
        nodes={parseMarkdown('Uses [Mimikatz](https://attack.mitre.org/software/S0002).', refs)}
        refPrefix="r"
        onOpenCard={open}
      />,
    );
    const link = el.querySelector('a.card-link') as HTMLAnchorElement;
    expect(link.getAttribute('href')).toBe('https://attack.mitre.org/software/S0002');
    link.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 }));
    expect(open).toHaveBeenCalledWith('S0002');
  });
});

const technique: TechniqueCard = {
  kind: 'technique',
  id: 'T1059.001',
  name: 'PowerShell',
  url: 'https://attack.mitre.org/techniques/T1059/001',
  status: 'current',
  description: 'Adversaries may abuse PowerShell. (Citation: TechNet PowerShell)',
  version: '1.5',
  modified: '2025-10-24T00:00:00.000Z',
  domains: ['enterprise-attack'],
  resolvedFrom: {
    id: 'T1086',
    name: 'PowerShell',
    status: 'revoked',
    replacedBy: 'T1059.001',
    notice: 'T1086 (PowerShell) was revoked; it is now T1059.001 (PowerShell).',
  },
  platforms: ['Windows'],
  isSubtechnique: true,
  tactics: [
    {
      id: 'TA0002',
      name: 'Execution',
      url: 'https://attack.mitre.org/tactics/TA0002',
      shortname: 'execution',
    },
  ],
  parent: {
    id: 'T1059',
    name: 'Command and Scripting Interpreter',
    url: 'https://attack.mitre.org/techniques/T1059',
  },
  subtechniques: [],
  mitigations: [
    {
      id: 'M1042',
      name: 'Disable or Remove Feature or Program',
      url: 'https://attack.mitre.org/mitigations/M1042',
      description: 'Remove PowerShell where not needed.',
    },
  ],
  detectionStrategies: [
    {
      id: 'DET0001',
      name: 'PowerShell execution',
      url: '',
      analytics: [
        {
          id: 'AN0001',
          name: 'Windows analytic',
          url: '',
          platforms: ['Windows'],
          description: '',
          logSources: [
            {
              name: 'WinEventLog:Microsoft-Windows-PowerShell/Operational',
              channel: 'EventCode=4104',
              dataComponent: null,
            },
          ],
        },
      ],
    },
  ],
  detection: '',
  groups: Array.from({ length: 12 }, (_, i) => ({
    id: `G${String(i + 1).padStart(4, '0')}`,
    name: `Group ${i + 1}`,
    url: '',
    description: '',
  })),
  software: [],
  campaigns: [],
  countermeasures: [
    {
      tactic: 'Detect',
      countermeasures: [
        {
          id: 'D3-PSA',
          name: 'Process Spawn Analysis',
          tactic: 'Detect',
          url: 'https://d3fend.mitre.org/technique/d3f:ProcessSpawnAnalysis/',
          pathCount: 1,
          paths: [
            {
              text: 'Process Spawn Analysis analyzes Process, which T1059.001 executes',
              defensiveProperty: 'analyzes',
              defensiveArtifact: { key: 'Process', name: 'Process' },
              offensiveProperty: 'executes',
              offensiveArtifact: { key: 'Process', name: 'Process' },
              relation: 'same',
            },
          ],
        },
      ],
    },
  ],
  d3fendLoaded: true,
  counts: {
    subtechniques: 0,
    mitigations: 1,
    detectionStrategies: 1,
    groups: 12,
    software: 0,
    campaigns: 0,
    countermeasures: 1,
  },
};

describe('CardPanel', () => {
  it('shows a technique card: revoked notice, tactics, mitigations, log sources, countermeasures by D3FEND tactic', () => {
    const open = vi.fn();
    const back = vi.fn();
    const el = mount(
      <CardPanel
        view={{ id: 'T1086', state: 'ready', card: technique }}
        canGoBack
        onBack={back}
        onClose={() => {}}
        onOpen={open}
      />,
    );
    expect(el.querySelector('h2')?.textContent).toBe('T1059.001 PowerShell');
    expect(el.querySelector('.notice')?.textContent).toContain('T1086 (PowerShell) was revoked');
    expect([...el.querySelectorAll('[data-tactic]')].map((t) => t.textContent?.trim())).toEqual([
      'Execution',
    ]);
    expect(el.querySelector('#sec-mitigations')?.parentElement?.textContent).toContain('M1042');
    expect(el.textContent).toContain('WinEventLog:Microsoft-Windows-PowerShell/Operational');
    const d3 = el.querySelector('[data-d3fend-tactic="Detect"]');
    expect(d3?.textContent).toContain('Process Spawn Analysis');
    expect(d3?.textContent).toContain('analyzes Process, which T1059.001 executes');
    expect(el.querySelector('.references li')?.textContent).toBe('TechNet PowerShell');

    const groups = el.querySelector('[aria-label="Groups"]') as HTMLElement;
    expect(groups.querySelectorAll('li')).toHaveLength(8);
    const more = groups.nextElementSibling as HTMLButtonElement;
    expect(more.textContent).toBe('Show all 12');
    more.click();
    return Promise.resolve().then(() => {
      expect(el.querySelectorAll('[aria-label="Groups"] li')).toHaveLength(12);
      (el.querySelector('.card-nav button') as HTMLButtonElement).click();
      expect(back).toHaveBeenCalled();
    });
  });

  it('says so when an id is not in the knowledge', () => {
    const el = mount(
      <CardPanel
        view={{ id: 'T9999', state: 'missing' }}
        canGoBack={false}
        onBack={() => {}}
        onClose={() => {}}
        onOpen={() => {}}
      />,
    );
    expect(el.textContent).toContain('T9999 is not in the local knowledge');
  });
});

describe('SearchBox', () => {
  it('is an ARIA combobox owning a listbox; the active option is announced; Enter chooses it', () => {
    const choose = vi.fn();
    const move = vi.fn();
    const el = mount(
      <SearchBox
        query="powershell"
        results={[
          { id: 'T1059.001', name: 'PowerShell', kind: 'technique' },
          { id: 'T1546.013', name: 'PowerShell Profile', kind: 'technique' },
        ]}
        active={1}
        status="done"
        available
        onQuery={() => {}}
        onMove={move}
        onChoose={choose}
        onClear={() => {}}
      />,
    );
    const input = el.querySelector('[role="combobox"]') as HTMLInputElement;
    expect(input.getAttribute('aria-expanded')).toBe('true');
    const listbox = el.querySelector(`#${input.getAttribute('aria-controls')}`);
    expect(listbox?.getAttribute('role')).toBe('listbox');
    const activeOption = el.querySelector(`#${input.getAttribute('aria-activedescendant')}`);
    expect(activeOption?.getAttribute('aria-selected')).toBe('true');
    expect(activeOption?.textContent).toContain('T1546.013');
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    expect(move).toHaveBeenCalledWith(1);
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    expect(choose).toHaveBeenCalledWith(expect.objectContaining({ id: 'T1546.013' }));
  });
});
