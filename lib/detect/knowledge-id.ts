/**
 * Identifiers that name knowledge rather than observables: CVE ids, ASNs, ATT&CK ids (T1059, T1059.001, TA0002,
 * G0016, S0002, M1036, C0024) and D3FEND technique ids (D3-PSA). Each is matched against a whole token (the
 * scanner hands over a run bounded by non-word characters), so `T1` and `T99999` are not techniques. Prefixes
 * match in any case; values are uppercase as published.
 */
import { allDigits } from './chars.ts';
import type { IndicatorType } from './types.ts';

export interface KnowledgeMatch {
  type: IndicatorType;
  value: string;
}

function allLetters(text: string, s: number, e: number): boolean {
  if (s >= e) return false;
  for (let k = s; k < e; k++) {
    const c = text.charCodeAt(k) | 32;
    if (c < 97 || c > 122) return false;
  }
  return true;
}

/** `text.slice(s, e)` in uppercase; copied a second time only when it holds a lowercase letter (ids rarely do). */
function upperSlice(text: string, s: number, e: number): string {
  const value = text.slice(s, e);
  for (let k = s; k < e; k++) {
    const c = text.charCodeAt(k);
    if (c >= 97 && c <= 122) return value.toUpperCase();
  }
  return value;
}

const ATTACK_PREFIX: Record<number, IndicatorType> = {
  116: 'attack_technique', // t
  103: 'attack_group', // g
  115: 'attack_software', // s
  109: 'attack_mitigation', // m
  99: 'attack_campaign', // c
};

/** The identifier spelled by the whole token `[s, e)` (no dots except a technique's `.NNN`), or null. */
export function knowledgeId(text: string, s: number, e: number): KnowledgeMatch | null {
  const n = e - s;
  const first = text.charCodeAt(s) | 32;
  if (n === 5 || n === 6 || n === 9) {
    if (n === 5 && allDigits(text, s + 1, e)) {
      const type = ATTACK_PREFIX[first];
      if (type) return { type, value: upperSlice(text, s, e) };
    }
    if (n === 6 && first === 116 && (text.charCodeAt(s + 1) | 32) === 97 && allDigits(text, s + 2, e)) {
      return { type: 'attack_tactic', value: upperSlice(text, s, e) };
    }
    if (n === 9 && first === 116 && text.charCodeAt(s + 5) === 46) {
      if (allDigits(text, s + 1, s + 5) && allDigits(text, s + 6, e)) {
        return { type: 'attack_technique', value: upperSlice(text, s, e) };
      }
    }
  }
  if (first === 99 && n >= 13 && n <= 20) {
    // CVE-YYYY-NNNN…
    if (
      (text.charCodeAt(s + 1) | 32) === 118 &&
      (text.charCodeAt(s + 2) | 32) === 101 &&
      text.charCodeAt(s + 3) === 45 &&
      text.charCodeAt(s + 8) === 45 &&
      allDigits(text, s + 4, s + 8) &&
      allDigits(text, s + 9, e)
    ) {
      return { type: 'cve', value: upperSlice(text, s, e) };
    }
  }
  if (first === 100 && n >= 5 && n <= 13 && text.charCodeAt(s + 1) === 51 && text.charCodeAt(s + 2) === 45) {
    if (allLetters(text, s + 3, e)) return { type: 'd3fend_technique', value: upperSlice(text, s, e) };
  }
  if (
    n >= 3 &&
    n <= 12 &&
    text.charCodeAt(s) === 65 &&
    text.charCodeAt(s + 1) === 83 &&
    allDigits(text, s + 2, e)
  ) {
    // AS13335: uppercase only ("as" is an English word); 32-bit numbers.
    const asn = Number(text.slice(s + 2, e));
    if (asn <= 4294967295) return { type: 'asn', value: `AS${asn}` };
  }
  return null;
}
