// Screenshots of the built app (dist/) for a look by eye.
//
//   node tests/e2e/screenshot.mjs [#/step ...]
//
// Writes PNGs to tests/e2e/artifacts/ (gitignored): each step given (default:
// #/overview and #/timeline) at 1280 px and 360 px wide, in light and dark.
import { mkdir } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApp } from './harness.mjs';

const out = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
const hashes = process.argv.slice(2).length ? process.argv.slice(2) : ['#/overview', '#/timeline'];
const viewports = [
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
  { name: 'mobile', viewport: { width: 360, height: 740 } },
];

await mkdir(out, { recursive: true });
const app = await startApp();
let failed = false;
try {
  for (const hash of hashes) {
    const slug = hash.replace(/^#\/?/, '') || 'overview';
    for (const { name, viewport } of viewports) {
      for (const colorScheme of ['light', 'dark']) {
        const { page, errors } = await app.open(hash, { viewport, colorScheme });
        const file = join(out, `${slug}-${name}-${colorScheme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        console.log(`wrote ${file}${errors.length ? `  (errors: ${errors.join('; ')})` : ''}`);
        if (errors.length) failed = true;
      }
    }
  }
  // Keyboard focus, to check the focus style.
  const { page } = await app.open('#/summary');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  const file = join(out, 'focus-desktop-light.png');
  await page.screenshot({ path: file });
  console.log(`wrote ${file}`);
} finally {
  await app.close();
}
process.exit(failed ? 1 : 0);
