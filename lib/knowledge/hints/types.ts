/**
 * Types of the "next likely moves" hints model. Pure data: no DOM, no Dexie. The corpus is what the model is built
 * from (derived from the ATT&CK knowledge by `corpusFromAttack`); the model is plain JSON, stored with the knowledge.
 */

export type ProfileKind = 'group' | 'campaign' | 'software';

/** One body of evidence: the techniques a group, a campaign or a piece of software is known to use. */
export interface HintsProfile {
  /** ATT&CK id (G0016, C0024, S0002). */
  id: string;
  name: string;
  kind: ProfileKind;
  /** Technique ids (T1059, T1059.001), unique. */
  techniques: string[];
  /** For a campaign: the ids of the groups it is attributed to. */
  attributedTo?: string[];
}

export interface HintsTechnique {
  id: string;
  name: string;
  /** Tactic shortnames (`initial-access`, …), as in the technique's kill-chain phases. */
  tactics: string[];
  /** For a sub-technique, its parent's id (T1059 for T1059.001). */
  parent?: string;
}

export interface HintsTactic {
  /** TA0001 */
  id: string;
  /** `initial-access` */
  shortname: string;
  /** Initial Access */
  name: string;
}

/** A D3FEND countermeasure to prepare against a technique. */
export interface Countermeasure {
  /** D3-PSA */
  id: string;
  name: string;
}

export interface HintsCorpus {
  /** Live (not revoked, not deprecated) techniques. */
  techniques: HintsTechnique[];
  /** Tactics in kill-chain order (the matrix order: reconnaissance first, impact last). */
  tactics: HintsTactic[];
  profiles: HintsProfile[];
  /** Revoked technique id -> the id that replaces it. */
  revoked: Record<string, string>;
  /** Optional ATT&CK technique id -> D3FEND countermeasures (from the D3FEND mapping). */
  countermeasures?: Record<string, Countermeasure[]>;
}

/**
 * The serialisable model (plain JSON). Techniques, tactics and profiles are referred to by their index in the
 * arrays below, which keeps it compact.
 */
export interface HintsModel {
  format: 'riposte-hints';
  version: 1;
  /** Technique ids; every other per-technique array is aligned with this one. */
  techniques: string[];
  techniqueNames: string[];
  /** Index of the parent technique, or -1. */
  parents: number[];
  /** Tactic indices per technique (into `tactics`). */
  techniqueTactics: number[][];
  /** Tactic shortnames, kill-chain order. */
  tactics: string[];
  tacticNames: string[];
  /** Profiles: [ATT&CK id, name, kind, technique indices (sorted)]. */
  profiles: [string, string, ProfileKind, number[]][];
  /** Revoked technique id -> replacement id. */
  revoked: Record<string, string>;
  /** D3FEND countermeasure table: [id, name]. */
  countermeasures: [string, string][];
  /** Per technique: indices into `countermeasures` (empty when no mapping was available). */
  techniqueCountermeasures: number[][];
  /** Linear item-to-item model: per technique, [target technique indices, weights], strongest first. */
  linear: [number[], number[]][];
}

/** One reason for a hint, structured, plus the sentence shown to a person. */
export interface HintReason {
  kind: 'profiles' | 'cooccurrence' | 'structure' | 'tactic';
  text: string;
}

export interface Hint {
  /** Technique id. */
  id: string;
  name: string;
  /** In (0, 1], best first; comparable within one answer. */
  score: number;
  /** The reasons joined into one sentence a person can check. */
  why: string;
  reasons: HintReason[];
  tactics: string[];
  /** D3FEND countermeasures to prepare (empty when the mapping is not available). */
  prepare: Countermeasure[];
}
