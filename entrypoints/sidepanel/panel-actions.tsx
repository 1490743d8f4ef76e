import { browser } from 'wxt/browser';
import { ActionsDock, ApplyButtons } from '../../components/actions/ActionsDock';
import { createActionsModel } from '../../components/actions/actions-model';
import { downloadText } from '../../lib/export/download';
import type { Countermeasure } from '../../lib/knowledge/d3fend';
import { ActionsEventSchema } from '../../lib/messaging/actions-protocol';
import { sendRequest } from '../../lib/messaging/client';
import type { PageModel } from '../../lib/panel/page-model';

// Wiring only, loaded after the panel's first paint: the response-actions model (the whole typed protocol, zod) and
// its dock.
export function createPanelActions(page: PageModel) {
  const model = createActionsModel({
    send: sendRequest,
    subscribe: (listener) =>
      browser.runtime.onMessage.addListener((raw: unknown) => {
        const event = ActionsEventSchema.safeParse(raw);
        if (event.success) listener(event.data);
        return undefined;
      }),
    tabId: () => page.tabId.value,
    pageUrl: () => page.tab.value.url,
    indicators: () => page.indicators.value,
    download: (name, mime, text) => downloadText(name, mime, text),
    every: (ms, fn) => setInterval(fn, ms),
  });
  void model.loadMenu().then(() => model.checkProposal());
  return {
    dock: <ActionsDock model={model} />,
    countermeasureActions: (c: Countermeasure) => (
      <ApplyButtons actions={model.forCountermeasure(c.id)} onApply={model.startApply} />
    ),
  };
}
export type PanelActions = ReturnType<typeof createPanelActions>;
