/**
 * `npm run -s detect -- FILE` (or `-` for stdin): print the indicators found in a UTF-8 text file as one JSON array
 * of `{ type, value, start, end }` (offsets in UTF-16 code units, end exclusive). Same code path as the extension:
 * it calls `detect` from lib/detect and nothing else. Nothing but the array goes to stdout.
 */
import { readFileSync } from 'node:fs';
import { detect } from '../lib/detect/index.ts';

function main(argv: string[]): number {
  const file = argv[0];
  if (!file || argv.length > 1) {
    process.stderr.write('usage: npm run -s detect -- FILE   (or - to read stdin)\n');
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    process.stderr.write(`detect: cannot read ${file}: ${(error as Error).message}\n`);
    return 1;
  }
  if (text.charCodeAt(0) === 0xfeff) text = ` ${text.slice(1)}`; // keep offsets: the BOM is one code unit
  const rows = detect(text).map(({ type, value, start, end }) => ({ type, value, start, end }));
  process.stdout.write(`${JSON.stringify(rows)}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
