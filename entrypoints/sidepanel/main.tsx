import { render } from 'preact';
import { browser } from 'wxt/browser';
import '../../components/theme.css';
import { IndicatorList } from '../../components/IndicatorList';
import { sendRequest } from '../../lib/messaging/client';
import { createPageModel, type PageModel } from '../../lib/panel/page-model';

const model = createPageModel(
  async (tabId) => (await sendRequest({ type: 'tab.indicators', tabId })).indicators,
);

function App({ model }: { model: PageModel }) {
  const { status, error, visible, indicators, filter } = model;
  return (
    <main>
      <header class="bar">
        <h1>Riposte</h1>
      </header>
      <section aria-labelledby="page-heading" class="section">
        <h2 id="page-heading">This page</h2>
        {indicators.value.length > 0 ? (
          <input
            type="search"
            placeholder="Filter indicators"
            aria-label="Filter indicators"
            value={filter.value}
            onInput={(e) => {
              filter.value = e.currentTarget.value;
            }}
          />
        ) : null}
        {status.value === 'loading' ? <p class="empty">Reading this page…</p> : null}
        {status.value === 'error' ? <p class="error">Could not read this page: {error.value}</p> : null}
        {status.value === 'ready' && indicators.value.length === 0 ? (
          <p class="empty">No indicators on this page yet.</p>
        ) : null}
        <IndicatorList
          indicators={visible.value}
          onSelect={(indicator) => {
            const tabId = model.tabId.value;
            if (tabId !== undefined) void sendRequest({ type: 'tab.reveal', tabId, indicator });
          }}
        />
      </section>
    </main>
  );
}

async function follow(): Promise<void> {
  const explicit = Number(new URLSearchParams(location.search).get('tabId'));
  if (Number.isInteger(explicit) && explicit > 0) {
    await model.follow(explicit);
    return;
  }
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  if (tab?.id !== undefined) await model.follow(tab.id);
}

const root = document.getElementById('app');
if (root) {
  render(<App model={model} />, root);
  void follow();
  const hasExplicitTab = new URLSearchParams(location.search).has('tabId');
  if (!hasExplicitTab) {
    browser.tabs.onActivated.addListener(() => void follow());
    browser.tabs.onUpdated.addListener((_id, change) => {
      if (change.status === 'complete') void follow();
    });
  }
  setInterval(() => void model.refresh(), 1000);
}
