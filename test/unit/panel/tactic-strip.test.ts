import { signal } from '@preact/signals';
import { describe, expect, it } from 'vitest';
import type { CountedIndicator } from '../../../lib/messaging/schemas';
import { createStripModel } from '../../../lib/panel/strip-model';
import { buildTacticStrip, type TechniqueTactics } from '../../../lib/panel/tactic-strip';

const tactic = (shortname: string, name: string, id: string) => ({ shortname, name, id });
const known = new Map<string, TechniqueTactics>([
  [
    'T1003.001',
    { name: 'LSASS Memory', tactics: [tactic('credential-access', 'Credential Access', 'TA0006')] },
  ],
  [
    'T1566.001',
    { name: 'Spearphishing Attachment', tactics: [tactic('initial-access', 'Initial Access', 'TA0001')] },
  ],
  ['T1059.001', { name: 'PowerShell', tactics: [tactic('execution', 'Execution', 'TA0002')] }],
  [
    'T1078',
    {
      name: 'Valid Accounts',
      tactics: [
        tactic('initial-access', 'Initial Access', 'TA0001'),
        tactic('persistence', 'Persistence', 'TA0003'),
        tactic('defense-evasion', 'Defense Evasion', 'TA0005'),
      ],
    },
  ],
]);

describe('buildTacticStrip', () => {
  it('orders tactics by kill chain, lists a multi-tactic technique under each, keeps unknown ids apart', () => {
    const strip = buildTacticStrip(
      [
        { value: 'T1003.001', count: 2 },
        { value: 'T1059.001', count: 1 },
        { value: 'T1566.001', count: 1 },
        { value: 'T1078', count: 1 },
        { value: 'T9999', count: 1 },
      ],
      known,
    );
    expect(strip.columns.map((c) => c.tactic.shortname)).toEqual([
      'initial-access',
      'execution',
      'persistence',
      'defense-evasion',
      'credential-access',
    ]);
    expect(strip.columns[0]?.techniques.map((t) => t.id)).toEqual(['T1078', 'T1566.001']);
    expect(strip.unplaced.map((t) => t.id)).toEqual(['T9999']);
  });
});

describe('strip model', () => {
  it('looks each technique up once and rebuilds when the page changes', async () => {
    const techniques = signal<CountedIndicator[]>([
      { type: 'attack_technique', value: 'T1059.001', count: 1 },
    ]);
    const asked: string[] = [];
    const model = createStripModel(techniques, async (id) => {
      asked.push(id);
      return known.get(id) ?? null;
    });
    await new Promise((r) => setTimeout(r, 0));
    expect(model.strip.value.columns.map((c) => c.tactic.shortname)).toEqual(['execution']);
    techniques.value = [...techniques.value, { type: 'attack_technique', value: 'T1566.001', count: 1 }];
    await new Promise((r) => setTimeout(r, 0));
    expect(model.strip.value.columns.map((c) => c.tactic.shortname)).toEqual(['initial-access', 'execution']);
    expect(asked).toEqual(['T1059.001', 'T1566.001']);
    await model.invalidate();
    expect(asked).toEqual(['T1059.001', 'T1566.001', 'T1059.001', 'T1566.001']);
    model.dispose();
  });
});
