import { describe, expect, it } from 'vitest';
import { exportPage } from '../../../lib/panel/export-page';

const page = {
  url: 'https://siem.example/alert/42',
  title: 'Alert 42',
  at: new Date('2026-11-28T01:42:07.000Z'),
  attackVersion: '18.1',
  hints: [{ id: 'T1204.002', why: 'used together with T1566.001 by 41 groups' }],
  indicators: [
    { type: 'ipv4' as const, value: '198.51.100.23', count: 1 },
    { type: 'btc' as const, value: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', count: 1 },
    { type: 'attack_technique' as const, value: 'T1566.001', count: 1 },
  ],
};

describe('exportPage', () => {
  it('saves each format under a telling name and says what it saved', async () => {
    const files: { name: string; mime: string; text: string }[] = [];
    const save = (name: string, mime: string, text: string) => files.push({ name, mime, text });
    expect(await exportPage('csv', page, save)).toBe(
      'Saved 3 indicators as riposte-siem.example-20261128-0142.csv.',
    );
    const stix = await exportPage('stix', page, save);
    expect(stix).toContain('Saved 1 STIX indicator');
    expect(stix).toContain('1 Bitcoin address left out (no STIX pattern)');
    expect(stix).toContain('ATT&CK / D3FEND ids go to the Navigator export');
    expect(await exportPage('navigator', page, save)).toBe(
      'Saved a Navigator layer with 1 technique seen and 1 likely next move as riposte-siem.example-20261128-0142.layer.json.',
    );
    expect(files.map((f) => f.mime)).toEqual([
      'text/csv;charset=utf-8',
      'application/stix+json;version=2.1',
      'application/json',
    ]);
    const layer = JSON.parse(files[2]?.text ?? '{}');
    expect(layer.versions.attack).toBe('18');
    expect(layer.techniques.map((t: { techniqueID: string }) => t.techniqueID)).toEqual([
      'T1204',
      'T1204.002',
      'T1566',
      'T1566.001',
    ]);
  });
});
