// Draws the app's PNG icons from public/favicon.svg with headless Chromium (run again after
// changing the SVG, and commit the PNGs; builds only copy them):
//   public/icons/icon-192.png, icon-512.png   the icon as it is (rounded square)
//   public/icons/maskable-512.png             full-bleed background, the glyph inside the
//                                             central 80% safe zone (launchers crop it)
//
//   node tests/e2e/make-icons.mjs
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, launchBrowser } from './harness.mjs';

const svg = await readFile(join(ROOT, 'public', 'favicon.svg'), 'utf8');
const background = svg.match(/<rect[^>]*fill="(#[0-9a-fA-F]+)"/)[1];
const glyph = svg.replace(/^[\s\S]*?<rect[^>]*\/>/, '').replace(/<\/svg>\s*$/, '');
// The glyph at 85% of its size, about the centre, on a square with no rounded corners.
const maskable = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
  <rect width="32" height="32" fill="${background}"/>
  <g transform="translate(16 16) scale(0.85) translate(-16 -16)">${glyph}</g>
</svg>`;

const browser = await launchBrowser();
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  for (const [name, source, size] of [
    ['icon-192.png', svg, 192],
    ['icon-512.png', svg, 512],
    ['maskable-512.png', maskable, 512],
  ]) {
    await page.setViewportSize({ width: size, height: size });
    const src = `data:image/svg+xml;base64,${Buffer.from(source).toString('base64')}`;
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}img{display:block}</style><img src="${src}" width="${size}" height="${size}">`,
    );
    await page.locator('img').evaluate((img) => img.decode());
    const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    await writeFile(join(ROOT, 'public', 'icons', name), png);
    console.log(`[icons] public/icons/${name}: ${size}x${size}, ${png.length} bytes`);
  }
} finally {
  await browser.close();
}
