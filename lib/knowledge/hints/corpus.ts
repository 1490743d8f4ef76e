import type { AttackData, AttackDomain } from '../model.ts';
import type { Countermeasure, HintsCorpus, HintsProfile } from './types.ts';

/** How many D3FEND countermeasures a hint carries at most (the card lists them all). */
export const MAX_COUNTERMEASURES = 5;

/**
 * Builds the hints corpus from parsed ATT&CK: current techniques of one domain (enterprise when the bundle has it),
 * the matrix's tactics in kill-chain order, and one profile per current group, campaign and software with the
 * techniques it `uses` (revoked targets resolve to their replacement). `countermeasures`, when the D3FEND mapping
 * is available, is ATT&CK technique id -> countermeasures, best first (only the first few are kept).
 */
export function corpusFromAttack(
  data: AttackData,
  countermeasures?: ReadonlyMap<string, readonly Countermeasure[]>,
  domain: AttackDomain = data.source.domains.includes('enterprise-attack')
    ? 'enterprise-attack'
    : (data.source.domains[0] ?? 'enterprise-attack'),
): HintsCorpus {
  const techniquesByStix = new Map(data.techniques.map((t) => [t.stixId, t]));
  const inDomain = data.techniques.filter((t) => t.domain === domain);
  const current = inDomain.filter((t) => !t.revoked && !t.deprecated);
  const currentIds = new Set(current.map((t) => t.id));

  const revoked: Record<string, string> = {};
  for (const r of data.relationships) {
    if (r.type !== 'revoked-by') continue;
    const from = techniquesByStix.get(r.sourceRef);
    const to = techniquesByStix.get(r.targetRef);
    if (from && to && from.domain === domain && !currentIds.has(from.id)) revoked[from.id] = to.id;
  }

  const profiles = new Map<string, HintsProfile>();
  const add = (stixId: string, id: string, name: string, kind: HintsProfile['kind']) =>
    profiles.set(stixId, { id, name, kind, techniques: [] });
  for (const g of data.groups) if (!g.revoked && !g.deprecated) add(g.stixId, g.id, g.name, 'group');
  for (const c of data.campaigns) if (!c.revoked && !c.deprecated) add(c.stixId, c.id, c.name, 'campaign');
  for (const s of data.software) if (!s.revoked && !s.deprecated) add(s.stixId, s.id, s.name, 'software');

  for (const r of data.relationships) {
    if (r.revoked || r.deprecated) continue;
    const profile = profiles.get(r.sourceRef);
    if (!profile) continue;
    if (r.type === 'uses') {
      const target = techniquesByStix.get(r.targetRef);
      if (!target || target.domain !== domain) continue;
      const id = currentIds.has(target.id) ? target.id : revoked[target.id];
      if (id !== undefined && !profile.techniques.includes(id)) profile.techniques.push(id);
    } else if (r.type === 'attributed-to' && profile.kind === 'campaign') {
      const group = profiles.get(r.targetRef);
      if (group?.kind === 'group') profile.attributedTo = [...(profile.attributedTo ?? []), group.id];
    }
  }

  const tactics = data.tactics
    .filter((t) => t.domain === domain && !t.revoked && !t.deprecated)
    .sort((a, b) => a.order - b.order)
    .map((t) => ({ id: t.id, shortname: t.shortname, name: t.name }));

  let mapped: Record<string, Countermeasure[]> | undefined;
  if (countermeasures) {
    mapped = {};
    for (const t of current) {
      const list = countermeasures.get(t.id);
      if (list?.length)
        mapped[t.id] = list.slice(0, MAX_COUNTERMEASURES).map((c) => ({ id: c.id, name: c.name }));
    }
  }

  return {
    techniques: current.map((t) => ({
      id: t.id,
      name: t.name,
      tactics: t.tactics,
      ...(t.isSubtechnique && t.parentId ? { parent: t.parentId } : {}),
    })),
    tactics,
    profiles: [...profiles.values()]
      .filter((p) => p.techniques.length > 0)
      .map((p) => ({ ...p, techniques: p.techniques.sort() })),
    revoked,
    ...(mapped ? { countermeasures: mapped } : {}),
  };
}
