/**
 * "Next likely moves": a pure hints model built from ATT&CK (no DOM, no Dexie).
 *
 *   const corpus = corpusFromAttack(attackData, countermeasuresMap); // at import time
 *   const model = buildHintsModel(corpus);                           // plain JSON: store it with the knowledge
 *   const hints = suggest(model, ['T1566.001', 'T1204.002'], 10);    // [{ id, name, score, why, reasons, prepare }]
 */
export { buildHintsModel } from './buildHintsModel.ts';
export { corpusFromAttack, MAX_COUNTERMEASURES } from './corpus.ts';
export { parseHintsModel } from './parseHintsModel.ts';
export { DEFAULT_PARAMS, type ScoreParams } from './scoreTechniques.ts';
export { type SuggestOptions, suggest } from './suggest.ts';
export type {
  Countermeasure,
  Hint,
  HintReason,
  HintsCorpus,
  HintsModel,
  HintsProfile,
  HintsTactic,
  HintsTechnique,
  ProfileKind,
} from './types.ts';
