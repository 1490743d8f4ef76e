import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, indicatorsToCsv } from '../../../lib/export/csv';
import { exportFileName } from '../../../lib/export/page-context';

/** A small RFC 4180 reader, independent of the writer, to check what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

const at = new Date('2026-11-28T01:42:07.000Z');

describe('indicatorsToCsv', () => {
  it('writes one row per indicator under a header, with the page and the time', () => {
    const csv = indicatorsToCsv({
      url: 'https://siem.example/alert/42',
      title: 'Alert 42',
      at,
      indicators: [
        { type: 'ipv4', value: '10.20.4.31', count: 3, scope: 'private' },
        { type: 'domain', value: 'c2.badcdn.net', count: 1 },
      ],
    });
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.slice(1)).toEqual([
      ['ipv4', '10.20.4.31', '3', 'private', 'https://siem.example/alert/42', '2026-11-28T01:42:07.000Z'],
      ['domain', 'c2.badcdn.net', '1', '', 'https://siem.example/alert/42', '2026-11-28T01:42:07.000Z'],
    ]);
  });

  it('quotes commas, quotes and line breaks, and defuses spreadsheet formulas', () => {
    const csv = indicatorsToCsv({
      url: 'https://x.example/?q=a,b',
      title: '',
      at,
      indicators: [
        { type: 'url', value: 'https://x.example/a"b,c', count: 1 },
        { type: 'email', value: '=cmd|calc@x.example', count: 1 },
      ],
    });
    const rows = parseCsv(csv);
    expect(rows[1]?.[1]).toBe('https://x.example/a"b,c');
    expect(rows[1]?.[4]).toBe('https://x.example/?q=a,b');
    expect(rows[2]?.[1]).toBe("'=cmd|calc@x.example");
    expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
  });

  it('names the file after the host and the time', () => {
    expect(exportFileName({ url: 'https://siem.example:8443/a', at }, 'csv')).toBe(
      'riposte-siem.example-20261128-0142.csv',
    );
    expect(exportFileName({ url: '', at }, 'json')).toBe('riposte-page-20261128-0142.json');
  });
});
