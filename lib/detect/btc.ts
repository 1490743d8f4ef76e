/**
 * Bitcoin mainnet addresses, checksum verified with @scure/base: legacy P2PKH / P2SH (base58check, version byte
 * 0x00 or 0x05, `1…` / `3…`, 26-35 characters) and segwit (`bc1…`, bech32 for witness v0, bech32m for v1+).
 * A hash, a random word or a base58-looking string without a valid checksum is not a wallet.
 */
import { bech32, bech32m, createBase58check } from '@scure/base';
import { sha256 } from './sha256.ts';

const base58check = createBase58check(sha256);

const BASE58 = /^[1-9A-HJ-NP-Za-km-z]+$/;

/** Normalised address (bech32 lowercased) when `s` is a valid mainnet address, else null. */
export function bitcoinAddress(s: string): string | null {
  const n = s.length;
  const first = s.charCodeAt(0);
  if ((first === 49 || first === 51) && n >= 26 && n <= 35) {
    if (!BASE58.test(s)) return null;
    try {
      const payload = base58check.decode(s);
      if (payload.length !== 21) return null;
      const version = payload[0];
      return (first === 49 && version === 0) || (first === 51 && version === 5) ? s : null;
    } catch {
      return null;
    }
  }
  if (n >= 14 && n <= 74 && (s.startsWith('bc1') || s.startsWith('BC1'))) {
    const lower = s.toLowerCase();
    if (lower !== s && s.toUpperCase() !== s) return null; // mixed case is invalid bech32
    const version = bech32Version(lower);
    return version === null ? null : lower;
  }
  return null;
}

function bech32Version(address: string): number | null {
  const coder = address.charCodeAt(3) === 113 /* q: witness v0 */ ? bech32 : bech32m;
  try {
    const { prefix, words } = coder.decode(address as `${string}1${string}`, 90);
    if (prefix !== 'bc' || words.length === 0) return null;
    const version = words[0] as number;
    if ((version === 0) !== (coder === bech32) || version > 16) return null;
    const program = coder.fromWords(words.slice(1));
    if (version === 0 && program.length !== 20 && program.length !== 32) return null;
    if (program.length < 2 || program.length > 40) return null;
    return version;
  } catch {
    return null;
  }
}
