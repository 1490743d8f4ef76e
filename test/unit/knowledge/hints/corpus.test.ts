import { describe, expect, it } from 'vitest';
import { inferCountermeasures, parseD3fendTurtle } from '../../../../lib/knowledge/d3fend.ts';
import { buildHintsModel, corpusFromAttack, suggest } from '../../../../lib/knowledge/hints/index.ts';
import { parseStixBundle } from '../../../../lib/knowledge/stix.ts';
import { MINI_D3FEND_TTL, makeMiniBundle, toStix21 } from '../../../fixtures/knowledge/mini-bundle.ts';

function attack(bundle: unknown) {
  const parsed = parseStixBundle(bundle);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

describe('corpusFromAttack', () => {
  it('keeps current techniques, tactics in matrix order and who uses what, resolving revocations', () => {
    const corpus = corpusFromAttack(attack(makeMiniBundle()));
    const techniques = corpus.techniques.map((t) => t.id).sort();
    expect(techniques).not.toContain('T1086');
    expect(techniques).toContain('T1059.001');
    expect(corpus.techniques.find((t) => t.id === 'T1059.001')).toMatchObject({
      parent: 'T1059',
      tactics: ['execution'],
    });
    expect(corpus.revoked).toEqual({ T1086: 'T1059.001' });
    expect(corpus.tactics.length).toBeGreaterThan(0);
    const byId = Object.fromEntries(corpus.profiles.map((p) => [p.id, p]));
    expect(byId.G0016).toMatchObject({
      kind: 'group',
      name: 'APT29',
      techniques: ['T1003.001', 'T1059.001'],
    });
    expect(byId.C0024).toMatchObject({
      kind: 'campaign',
      techniques: ['T1059.001'],
      attributedTo: ['G0016'],
    });
    expect(byId.S0002).toMatchObject({ kind: 'software', techniques: ['T1003.001'] });
    // The revoked malware and profiles without techniques are left out.
    expect(Object.keys(byId).sort()).toEqual(['C0024', 'G0016', 'S0002']);
  });

  it('builds the same corpus from the STIX 2.1 form of the bundle', () => {
    const bundle = makeMiniBundle();
    expect(corpusFromAttack(attack(toStix21(bundle)))).toEqual(corpusFromAttack(attack(bundle)));
  });

  it('carries D3FEND countermeasures into the hints when the mapping is given', () => {
    const d3fend = parseD3fendTurtle(MINI_D3FEND_TTL);
    if (!d3fend.ok) throw new Error(d3fend.error);
    const mapping = inferCountermeasures(d3fend.value);
    const model = buildHintsModel(corpusFromAttack(attack(makeMiniBundle()), mapping));
    const withPrepare = suggest(model, ['T1059.001'], 5).filter((h) => h.prepare.length > 0);
    expect(withPrepare.length).toBeGreaterThan(0);
    for (const h of withPrepare) {
      const expected = (mapping.get(h.id) ?? []).slice(0, 5).map((c) => ({ id: c.id, name: c.name }));
      expect(h.prepare).toEqual(expected);
    }
    // An observed revoked id counts as its replacement, which is not suggested back.
    expect(suggest(model, ['T1086']).map((h) => h.id)).not.toContain('T1059.001');
  });
});
