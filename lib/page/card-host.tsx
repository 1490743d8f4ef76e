import { render } from 'preact';
import { HOVER_CARD_CSS, HoverCard, type HoverCardProps } from './hover-card';
import { UI_HOST_TAG } from './skip-rules';

/**
 * Riposte's only element in a page: a `<riposte-ui>` host with a CLOSED shadow root holding the hover card. Created
 * the first time a card is shown (a page nobody hovers keeps its DOM exactly as it was), appended to `<html>`.
 */
export class CardHost {
  private host: HTMLElement | undefined;
  private mount: HTMLElement | undefined;
  private shown = false;

  constructor(private readonly doc: Document) {}

  get visible(): boolean {
    return this.shown;
  }

  /** True when an event target is the card (events from inside a closed shadow root are retargeted to the host). */
  owns(target: EventTarget | null): boolean {
    return !!this.host && target === this.host;
  }

  show(props: HoverCardProps, anchor: DOMRect): void {
    const mount = this.ensure();
    render(<HoverCard {...props} />, mount);
    this.shown = true;
    const card = mount.firstElementChild as HTMLElement | null;
    if (!card) return;
    const view = this.doc.defaultView;
    const width = view?.innerWidth ?? 1024;
    const height = view?.innerHeight ?? 768;
    card.style.visibility = 'hidden';
    card.style.left = '0px';
    card.style.top = '0px';
    const size = card.getBoundingClientRect();
    const below = anchor.bottom + 6;
    const top =
      below + size.height <= height || anchor.top - size.height - 6 < 0
        ? below
        : anchor.top - size.height - 6;
    const left = Math.max(4, Math.min(anchor.left, width - size.width - 4));
    card.style.left = `${Math.round(left)}px`;
    card.style.top = `${Math.round(Math.max(4, top))}px`;
    card.style.visibility = 'visible';
  }

  /** Re-renders the card in place (a status line after a click). */
  update(props: HoverCardProps): void {
    if (!this.mount || !this.shown) return;
    render(<HoverCard {...props} />, this.mount);
  }

  hide(): void {
    if (!this.mount || !this.shown) return;
    render(null, this.mount);
    this.shown = false;
  }

  /** Copies text from within the card's own shadow root when the async clipboard is refused. */
  copyFallback(text: string): boolean {
    const mount = this.ensure();
    const area = this.doc.createElement('textarea');
    area.value = text;
    area.style.position = 'fixed';
    area.style.opacity = '0';
    mount.append(area);
    area.select();
    let ok = false;
    try {
      ok = this.doc.execCommand('copy');
    } catch {
      ok = false;
    }
    area.remove();
    return ok;
  }

  destroy(): void {
    this.hide();
    this.host?.remove();
    this.host = undefined;
    this.mount = undefined;
  }

  private ensure(): HTMLElement {
    if (this.mount && this.host?.isConnected) return this.mount;
    const host = this.doc.createElement(UI_HOST_TAG);
    host.style.setProperty('all', 'initial');
    host.style.setProperty('position', 'fixed');
    host.style.setProperty('top', '0');
    host.style.setProperty('left', '0');
    host.style.setProperty('z-index', '2147483647');
    const shadow = host.attachShadow({ mode: 'closed' });
    const style = this.doc.createElement('style');
    style.textContent = HOVER_CARD_CSS;
    const mount = this.doc.createElement('div');
    shadow.append(style, mount);
    this.doc.documentElement.append(host);
    this.host = host;
    this.mount = mount;
    return mount;
  }
}
