/**
 * Every vendor emulator by connector id, for the Playwright fixtures (start the one a test configures) and the
 * meta-test. Each `start…Emulator()` resolves to a handle with `url`, `requests`, `requestsTo`, `setFault`,
 * `clearFaults`, `expireTokens` and `close`.
 */
import { startCrowdStrikeEmulator } from './crowdstrike';
import { startDefenderEmulator } from './defender';
import { startElasticEmulator } from './elastic';
import { startSentinelOneEmulator } from './sentinelone';
import type { EmulatorHandle } from './server';
import { startSplunkSoarEmulator } from './splunk-soar';
import { startWebhookEmulator } from './webhook';
import { startXsoarEmulator } from './xsoar';

export const EMULATORS: Record<string, () => Promise<EmulatorHandle>> = {
  crowdstrike: () => startCrowdStrikeEmulator(),
  defender: () => startDefenderEmulator(),
  webhook: () => startWebhookEmulator(),
  sentinelone: () => startSentinelOneEmulator(),
  elastic: () => startElasticEmulator(),
  'splunk-soar': () => startSplunkSoarEmulator(),
  xsoar: () => startXsoarEmulator(),
};

export {
  startCrowdStrikeEmulator,
  startDefenderEmulator,
  startElasticEmulator,
  startSentinelOneEmulator,
  startSplunkSoarEmulator,
  startWebhookEmulator,
  startXsoarEmulator,
};
