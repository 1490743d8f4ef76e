import type { PageExport } from './page-context';

/**
 * The page's indicators as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold a comma, a
 * quote or a line break). Page-derived text that a spreadsheet would read as a formula (a cell starting with `=`,
 * `+`, `-`, `@`, tab or carriage return) is prefixed with `'` (OWASP's CSV-injection advice).
 */
export const CSV_COLUMNS = ['type', 'value', 'count', 'scope', 'page_url', 'seen_at'] as const;

function cell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function indicatorsToCsv(page: PageExport): string {
  const seenAt = page.at.toISOString();
  const lines = [CSV_COLUMNS.join(',')];
  for (const item of page.indicators) {
    lines.push(
      [item.type, item.value, item.count, item.scope ?? '', page.url, seenAt].map((v) => cell(v)).join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
