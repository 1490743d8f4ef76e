import { defineContentScript } from 'wxt/utils/define-content-script';
import { attachCardActions } from '../lib/actions/card-actions';
import { startPageScanner } from '../lib/page/start-page-scanner';

export default defineContentScript({
  matches: ['http://*/*', 'https://*/*'],
  allFrames: true,
  // about:blank and srcdoc frames inherit their parent's origin: scan them too.
  matchAboutBlank: true,
  matchOriginAsFallback: true,
  runAt: 'document_idle',
  main(ctx) {
    void startPageScanner(ctx.signal)
      .then((controller) => attachCardActions(controller, ctx.signal))
      .catch(() => undefined);
  },
});
