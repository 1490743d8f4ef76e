/**
 * Riposte's detection engine: pure (no DOM, no browser API), synchronous, linear-time. Runs unchanged in the
 * content script, the service worker, the CLI and the tests.
 */
export { defang } from './defang.ts';
export { detect } from './detect.ts';
export { refang } from './refang.ts';
export type { Indicator, IndicatorType, IpScope } from './types.ts';
