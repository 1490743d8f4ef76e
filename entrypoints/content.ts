import { defineContentScript } from 'wxt/utils/define-content-script';
import { attachCardActions } from '../lib/actions/card-actions';
import { startPageScanner } from '../lib/page/start-page-scanner';

export default defineContentScript({
  matches: ['http://*/*', 'https://*/*'],
  allFrames: true,
  // about:blank and srcdoc frames inherit their parent's origin: scan them too.
  matchAboutBlank: true,
  matchOriginAsFallback: true,
  // As soon as the document is parsed (not at document_idle, which Chromium may delay by seconds on a big page):
  // the scan runs in short slices, so starting early costs the page no responsiveness.
  runAt: 'document_end',
  main(ctx) {
    void startPageScanner(ctx.signal)
      .then((controller) => attachCardActions(controller, ctx.signal))
      .catch(() => undefined);
  },
});
