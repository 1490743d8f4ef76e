import { describe, expect, it } from 'vitest';
import { HINT_COLOR, pageToNavigatorLayer, SEEN_COLOR } from '../../../lib/export/navigator';

const at = new Date('2026-11-28T01:42:07.000Z');
const page = {
  url: 'https://siem.example/alert/42',
  title: 'Alert 42',
  at,
  indicators: [
    { type: 'attack_technique' as const, value: 'T1059.001', count: 2 },
    { type: 'attack_technique' as const, value: 'T1566.001', count: 1 },
    { type: 'attack_technique' as const, value: 'T1105', count: 1 },
    { type: 'attack_group' as const, value: 'G0016', count: 1 },
    { type: 'ipv4' as const, value: '198.51.100.23', count: 1 },
  ],
};

describe('pageToNavigatorLayer', () => {
  it('writes a 4.5 layer with each seen technique, where it was seen, and opens sub-technique parents', () => {
    const layer = pageToNavigatorLayer(page, { attackVersion: '18.1' });
    expect(layer.versions).toEqual({ attack: '18', navigator: '5.1.0', layer: '4.5' });
    expect(layer.domain).toBe('enterprise-attack');
    const byId = new Map(layer.techniques.map((t) => [t.techniqueID, t]));
    expect([...byId.keys()].sort()).toEqual(['T1059', 'T1059.001', 'T1105', 'T1566', 'T1566.001']);
    expect(byId.get('T1059.001')).toMatchObject({ score: 1, color: SEEN_COLOR, enabled: true });
    expect(byId.get('T1059.001')?.comment).toBe(
      'Seen 2 times on "Alert 42" (https://siem.example/alert/42) at 2026-11-28T01:42:07.000Z',
    );
    expect(byId.get('T1059')).toMatchObject({ showSubtechniques: true });
    expect(byId.get('T1059')?.score).toBeUndefined();
    expect(JSON.parse(JSON.stringify(layer))).toEqual(layer);
  });

  it('adds next likely moves in a second colour without overriding what was seen', () => {
    const layer = pageToNavigatorLayer(page, {
      hints: [
        { id: 'T1105', why: 'already seen' },
        { id: 'T1204.002', why: 'used together with T1566.001 by 41 groups' },
      ],
    });
    const byId = new Map(layer.techniques.map((t) => [t.techniqueID, t]));
    expect(byId.get('T1105')?.color).toBe(SEEN_COLOR);
    expect(byId.get('T1204.002')).toMatchObject({ color: HINT_COLOR, score: 2 });
    expect(byId.get('T1204.002')?.comment).toContain('41 groups');
    expect(layer.legendItems.map((l) => l.label)).toEqual(['Seen on the page', 'Next likely move']);
  });
});
