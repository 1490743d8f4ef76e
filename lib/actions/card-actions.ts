/**
 * Response buttons in the hover card (content script side). The content script knows no secret and cannot
 * execute: it reads the "menu" of enabled actions from the background (`actions.menu`, labels only) and a click
 * sends `actions.propose`, which opens the side panel on the confirmation.
 */
import type { IndicatorType, IpScope } from '../detect/types';
import type { AvailableActionReply } from '../messaging/actions-protocol';
import { sendRequest } from '../messaging/client';
import type { CardAction } from '../page/hover-card';
import type { PageController } from '../page/start-page-scanner';
import type { ActionKind, TargetType } from './types';

/** Actions offered from the card; undo actions are offered on the operation itself, in the panel. */
const CARD_ACTIONS: Partial<Record<ActionKind, string>> = {
  block_ip: 'Block',
  block_domain: 'Block',
  block_url: 'Block',
  block_hash: 'Block',
  isolate_host: 'Isolate host',
  create_case: 'Open a case',
  run_playbook: 'Run playbook',
};

export interface CardChoice {
  instanceId: string;
  action: ActionKind;
  label: string;
  target: { type: TargetType; value: string };
}

/**
 * The card buttons for one indicator. A domain may be a host's name in an EDR console, so isolation is offered on
 * domains as a host name; blocks are not offered on non-public addresses (the background would refuse them).
 */
export function cardChoices(
  menu: readonly AvailableActionReply[],
  hit: { type: IndicatorType; value: string; scope?: IpScope },
): CardChoice[] {
  const out: CardChoice[] = [];
  for (const entry of menu) {
    const short = CARD_ACTIONS[entry.action];
    if (!short) continue;
    const targets = entry.targets ?? [];
    let target: CardChoice['target'] | undefined;
    if (targets.includes(hit.type)) target = { type: hit.type, value: hit.value };
    else if (hit.type === 'domain' && targets.includes('hostname'))
      target = { type: 'hostname', value: hit.value };
    if (!target) continue;
    if (hit.scope && hit.scope !== 'public' && entry.action.startsWith('block_')) continue;
    out.push({ instanceId: entry.instanceId, action: entry.action, label: short, target });
  }
  // two instances offering the same button are told apart by their names
  const count = new Map<string, number>();
  for (const c of out) count.set(c.label, (count.get(c.label) ?? 0) + 1);
  return out.map((c) => {
    const entry = menu.find((m) => m.instanceId === c.instanceId && m.action === c.action);
    return (count.get(c.label) ?? 0) > 1 && entry
      ? { ...c, label: `${c.label} (${entry.instanceLabel})` }
      : c;
  });
}

/** Plugs the buttons into the page controller's hover card; the menu is refreshed when a card opens. */
export function attachCardActions(controller: PageController, signal: AbortSignal): void {
  let menu: AvailableActionReply[] = [];
  let fetchedAt = 0;
  const refresh = () => {
    if (signal.aborted || Date.now() - fetchedAt < 2_000) return;
    fetchedAt = Date.now();
    sendRequest({ type: 'actions.menu' })
      .then((reply) => {
        menu = reply.actions;
      })
      .catch(() => undefined);
  };
  refresh();
  controller.setCardActions((hit) => {
    refresh();
    return cardChoices(menu, hit).map(
      (choice): CardAction => ({
        id: `${choice.instanceId}:${choice.action}`,
        label: choice.label,
        run: () => {
          void sendRequest({
            type: 'actions.propose',
            instanceId: choice.instanceId,
            action: choice.action,
            target: choice.target,
          }).catch(() => undefined);
        },
      }),
    );
  });
}
