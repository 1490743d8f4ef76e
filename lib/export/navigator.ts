import type { PageExport } from './page-context';

/**
 * The page's ATT&CK techniques as an ATT&CK Navigator layer (layer format 4.5, Navigator 5.x): each technique seen
 * on the page gets a score of 1, the page colour and a comment saying where and how often it was seen. Optional
 * "next likely moves" go in as a second colour with score 2 and their reason as comment. A sub-technique's parent
 * is listed with `showSubtechniques: true` so that the Navigator opens it.
 * Format reference: mitre-attack/attack-navigator, layers/LAYERFORMATv4_5.md.
 */
export interface NavigatorTechnique {
  techniqueID: string;
  score?: number;
  color?: string;
  comment?: string;
  enabled: boolean;
  showSubtechniques: boolean;
  metadata: { name: string; value: string }[];
  links: { label: string; url: string }[];
}

export interface NavigatorLayer {
  name: string;
  versions: { attack: string; navigator: string; layer: '4.5' };
  domain: 'enterprise-attack' | 'mobile-attack' | 'ics-attack';
  description: string;
  filters: { platforms: string[] };
  sorting: number;
  layout: {
    layout: 'side';
    aggregateFunction: 'average';
    showID: boolean;
    showName: boolean;
    showAggregateScores: boolean;
    countUnscored: boolean;
    expandedSubtechniques: 'none' | 'annotated' | 'all';
  };
  hideDisabled: boolean;
  techniques: NavigatorTechnique[];
  gradient: { colors: string[]; minValue: number; maxValue: number };
  legendItems: { label: string; color: string }[];
  metadata: { name: string; value: string }[];
  links: { label: string; url: string }[];
  showTacticRowBackground: boolean;
  tacticRowBackground: string;
  selectTechniquesAcrossTactics: boolean;
  selectSubtechniquesWithParent: boolean;
  selectVisibleTechniques: boolean;
}

export interface LayerHint {
  id: string;
  why: string;
}

export interface NavigatorOptions {
  /** ATT&CK release of the local knowledge ("18.1"); the layer records its major version. */
  attackVersion?: string | null;
  /** Next likely moves to add as a second colour. */
  hints?: readonly LayerHint[];
  domain?: NavigatorLayer['domain'];
}

export const SEEN_COLOR = '#e8590c';
export const HINT_COLOR = '#74c0fc';
const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;

export function pageToNavigatorLayer(page: PageExport, options: NavigatorOptions = {}): NavigatorLayer {
  const where = page.title ? `"${page.title}" (${page.url})` : page.url || 'this page';
  const seenAt = page.at.toISOString();
  const entries = new Map<string, NavigatorTechnique>();
  const seen = page.indicators.filter((i) => i.type === 'attack_technique' && TECHNIQUE_ID.test(i.value));
  for (const item of seen) {
    const times = item.count === 1 ? 'once' : `${item.count} times`;
    entries.set(item.value, {
      techniqueID: item.value,
      score: 1,
      color: SEEN_COLOR,
      comment: `Seen ${times} on ${where} at ${seenAt}`,
      enabled: true,
      showSubtechniques: false,
      metadata: [
        { name: 'seen on', value: page.url },
        { name: 'count', value: String(item.count) },
      ],
      links: [],
    });
  }
  for (const hint of options.hints ?? []) {
    if (entries.has(hint.id) || !TECHNIQUE_ID.test(hint.id)) continue;
    entries.set(hint.id, {
      techniqueID: hint.id,
      score: 2,
      color: HINT_COLOR,
      comment: `Next likely move: ${hint.why}`,
      enabled: true,
      showSubtechniques: false,
      metadata: [],
      links: [],
    });
  }
  // Open the parents of annotated sub-techniques.
  for (const id of [...entries.keys()]) {
    const parent = id.includes('.') ? id.slice(0, id.indexOf('.')) : undefined;
    if (!parent) continue;
    const existing = entries.get(parent);
    if (existing) existing.showSubtechniques = true;
    else
      entries.set(parent, {
        techniqueID: parent,
        enabled: true,
        showSubtechniques: true,
        metadata: [],
        links: [],
      });
  }
  const major = options.attackVersion?.split('.')[0];
  const legendItems = [{ label: 'Seen on the page', color: SEEN_COLOR }];
  if (options.hints?.length) legendItems.push({ label: 'Next likely move', color: HINT_COLOR });
  return {
    name: `Riposte: ${page.title || page.url || 'page'}`.slice(0, 200),
    versions: { attack: major && /^\d+$/.test(major) ? major : '18', navigator: '5.1.0', layer: '4.5' },
    domain: options.domain ?? 'enterprise-attack',
    description: `ATT&CK techniques seen on ${where} at ${seenAt}, exported by Riposte.`,
    filters: { platforms: [] },
    sorting: 0,
    layout: {
      layout: 'side',
      aggregateFunction: 'average',
      showID: true,
      showName: true,
      showAggregateScores: false,
      countUnscored: false,
      expandedSubtechniques: 'annotated',
    },
    hideDisabled: false,
    techniques: [...entries.values()].sort((a, b) => a.techniqueID.localeCompare(b.techniqueID)),
    gradient: { colors: ['#ffffff', SEEN_COLOR], minValue: 0, maxValue: 1 },
    legendItems,
    metadata: [
      { name: 'source', value: page.url },
      { name: 'exported', value: seenAt },
    ],
    links: page.url.startsWith('http') ? [{ label: 'Source page', url: page.url }] : [],
    showTacticRowBackground: false,
    tacticRowBackground: '#dddddd',
    selectTechniquesAcrossTactics: true,
    selectSubtechniquesWithParent: false,
    selectVisibleTechniques: false,
  };
}
