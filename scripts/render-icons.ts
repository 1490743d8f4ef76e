/**
 * Renders scripts/icon.svg to the PNG sizes the stores want (16, 32, 48, 96, 128) in public/icon/, with the same
 * Chromium the tests use. Run after editing the SVG: `npx tsx scripts/render-icons.ts`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from '@playwright/test';

const root = path.resolve(import.meta.dirname, '..');
const svg = await readFile(path.join(root, 'scripts/icon.svg'), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage();
for (const size of [16, 32, 48, 96, 128]) {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(
    `<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`,
  );
  await page.screenshot({ path: path.join(root, `public/icon/${size}.png`), omitBackground: true });
}
await browser.close();
console.log('icons written to public/icon/');
