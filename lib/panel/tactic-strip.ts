/**
 * The page's ATT&CK techniques as a strip of tactics in kill-chain order, each with the page's techniques under it
 * (a technique with two tactics appears under both). Pure. Technique -> tactics comes from the knowledge (the
 * technique cards); a technique the knowledge does not know is listed apart, so nothing on the page is hidden.
 */
export interface StripTactic {
  shortname: string;
  name: string;
  id: string;
}

export interface StripTechnique {
  id: string;
  name: string;
  count: number;
}

export interface StripColumn {
  tactic: StripTactic;
  techniques: StripTechnique[];
}

export interface TacticStrip {
  columns: StripColumn[];
  /** On the page but unknown to the knowledge (or knowledge not imported). */
  unplaced: StripTechnique[];
}

export interface TechniqueTactics {
  name: string;
  /** In kill-chain order, as the technique card gives them. */
  tactics: StripTactic[];
}

/** The ATT&CK matrices' tactic order (Enterprise, then what ICS and Mobile add); used to order the columns. */
export const KILL_CHAIN = [
  'reconnaissance',
  'resource-development',
  'initial-access',
  'execution',
  'persistence',
  'privilege-escalation',
  'defense-evasion',
  'evasion',
  'credential-access',
  'discovery',
  'lateral-movement',
  'collection',
  'command-and-control',
  'exfiltration',
  'inhibit-response-function',
  'impair-process-control',
  'network-effects',
  'remote-service-effects',
  'impact',
];

function rank(shortname: string): number {
  const i = KILL_CHAIN.indexOf(shortname);
  return i === -1 ? KILL_CHAIN.length : i;
}

export function buildTacticStrip(
  pageTechniques: readonly { value: string; count: number }[],
  known: ReadonlyMap<string, TechniqueTactics>,
): TacticStrip {
  const columns = new Map<string, StripColumn>();
  const unplaced: StripTechnique[] = [];
  for (const { value, count } of pageTechniques) {
    const info = known.get(value);
    if (!info || info.tactics.length === 0) {
      unplaced.push({ id: value, name: info?.name ?? '', count });
      continue;
    }
    for (const tactic of info.tactics) {
      let column = columns.get(tactic.shortname);
      if (!column) {
        column = { tactic, techniques: [] };
        columns.set(tactic.shortname, column);
      }
      column.techniques.push({ id: value, name: info.name, count });
    }
  }
  const byId = (a: StripTechnique, b: StripTechnique) => a.id.localeCompare(b.id, 'en', { numeric: true });
  const ordered = [...columns.values()].sort(
    (a, b) =>
      rank(a.tactic.shortname) - rank(b.tactic.shortname) || a.tactic.name.localeCompare(b.tactic.name),
  );
  for (const c of ordered) c.techniques.sort(byId);
  return { columns: ordered, unplaced: unplaced.sort(byId) };
}
