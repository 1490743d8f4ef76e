import type { CountedIndicator } from '../messaging/schemas';

/** What every export of a page is made from: the page's indicators and where / when they were seen. */
export interface PageExport {
  indicators: readonly CountedIndicator[];
  /** The tab's URL ('' when unknown). */
  url: string;
  /** The tab's title ('' when unknown). */
  title: string;
  /** When the export was made; the exports' timestamps all use it. */
  at: Date;
}

/** A file name from the page's host and the export time: `riposte-console.example.com-20261128-0142.csv`. */
export function exportFileName(page: Pick<PageExport, 'url' | 'at'>, suffix: string): string {
  let host = 'page';
  try {
    host = new URL(page.url).hostname.replace(/[^a-z0-9.-]/gi, '') || 'page';
  } catch {
    // Not a URL: keep "page".
  }
  const iso = page.at.toISOString();
  const stamp = `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 16).replace(':', '')}`;
  return `riposte-${host}-${stamp}.${suffix}`;
}
