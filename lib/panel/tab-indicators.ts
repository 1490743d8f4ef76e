import { browser } from 'wxt/browser';
import { INDICATOR_TYPES, IP_SCOPES } from '../detect/types';
import type { CountedIndicator, IndicatorRef } from '../messaging/schemas';

/**
 * The side panel's first request, `tab.indicators`, and the check of its reply. The panel's first paint needs only
 * this list, so this file stays small: it does not load the typed protocol (`lib/messaging/protocol.ts`) and zod.
 *
 * Why not zod here: in an MV3 extension page zod cannot compile its fast parsers (`new Function` is forbidden by the
 * extension CSP), so parsing 5,000 entries ran on its slow path with cold code and was the largest single cost
 * between the reply and the first paint (CPU profile of `npm run bench:panel`). The reply comes from Riposte's own
 * background, which parsed every entry with zod when the content script reported it (`page.report`,
 * `CountedIndicatorSchema`). This check restates that schema's rules exactly (type, value of 1-4,096 characters,
 * positive integer count, optional IP scope; unknown keys dropped); test/unit/panel/tab-indicators.test.ts holds it
 * against the zod schemas of lib/messaging/schemas.ts on valid and invalid replies.
 */
const TYPES: ReadonlySet<string> = new Set(INDICATOR_TYPES);
const SCOPES: ReadonlySet<string> = new Set(IP_SCOPES);

function isRecord(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw);
}

function isValue(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= 4096;
}

/** As `IndicatorRefSchema`: an indicator to focus (the hover card's "open in the panel"). */
export function parseIndicatorRef(raw: unknown): IndicatorRef | undefined {
  if (!isRecord(raw) || typeof raw.type !== 'string' || !TYPES.has(raw.type) || !isValue(raw.value))
    return undefined;
  return { type: raw.type as IndicatorRef['type'], value: raw.value };
}

/** As `CountedIndicatorSchema`, or a sentence saying what is wrong with entry `n`. */
function countedIndicator(raw: unknown, n: number): CountedIndicator | string {
  if (!isRecord(raw)) return `entry ${n} is not an object`;
  const { type, value, count, scope } = raw;
  if (typeof type !== 'string' || !TYPES.has(type)) return `entry ${n} has an unknown type`;
  if (!isValue(value)) return `entry ${n} has no value, or one longer than 4,096 characters`;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count <= 0)
    return `entry ${n} has no positive whole count`;
  if (scope !== undefined && (typeof scope !== 'string' || !SCOPES.has(scope)))
    return `entry ${n} has an unknown IP scope`;
  const item: CountedIndicator = { type: type as CountedIndicator['type'], value, count };
  if (scope !== undefined) item.scope = scope as CountedIndicator['scope'];
  return item;
}

/** The reply's indicators, or an error in words (the background's refusal, or a reply of the wrong shape). */
export function parseTabIndicatorsReply(raw: unknown): CountedIndicator[] {
  if (isRecord(raw) && typeof raw.error === 'string') throw new Error(raw.error);
  if (!isRecord(raw) || !Array.isArray(raw.indicators))
    throw new Error('Unexpected reply to tab.indicators: no list of indicators.');
  const list: unknown[] = raw.indicators;
  const out: CountedIndicator[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const item = countedIndicator(list[i], i + 1);
    if (typeof item === 'string') throw new Error(`Unexpected reply to tab.indicators: ${item}.`);
    out[i] = item;
  }
  return out;
}

/** Everything the background has detected in a tab (DESIGN.md: `tab.indicators`). */
export async function requestTabIndicators(tabId: number): Promise<CountedIndicator[]> {
  const raw: unknown = await browser.runtime.sendMessage({ type: 'tab.indicators', tabId });
  return parseTabIndicatorsReply(raw);
}
