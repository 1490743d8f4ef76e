import { sendRequest } from '../messaging/client';

/**
 * Asks the background to download and import the configured ATT&CK / D3FEND sources and waits for the outcome, so
 * that the caller can show a failure in words. Progress is read from the knowledge database meanwhile.
 */
export async function requestKnowledgeUpdate(): Promise<void> {
  const reply = await sendRequest({ type: 'kb.update', force: true, wait: true });
  if (!reply.started) throw new Error(reply.error);
  if (reply.outcome && !reply.outcome.ok) throw new Error(reply.outcome.error);
}
