// Captures what a person gets when they copy a rendered wiki page from Chromium:
// starts the test wiki (wiki.mjs) with the six wikitech fixture pages and the
// template stand-ins, opens each page's /wiki/... URL in headless Chromium,
// selects the article (#mw-content-text) as a person would, presses Ctrl+C, then
// Ctrl+V into a textarea, and writes what the paste event carried (text/html and
// text/plain, unmodified) into
// crates/core/tests/data/rendered/<fixture>.html and .txt. For a few fixtures it
// also selects the whole page (document.body: skin chrome included) and writes
// <fixture>.page.html and .page.txt. See crates/core/tests/data/rendered/SOURCES.md.
//
//   . .tools/env.sh && node tests/e2e/capture-rendered.mjs [--port 8180] [--out DIR]
//
// The port is fixed (default 8180) because the copied HTML has absolute links
// (http://127.0.0.1:PORT/wiki/...): a fixed port keeps captures comparable.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launchBrowser, ROOT } from './harness.mjs';
import { fixturePages, startWiki } from './wiki.mjs';

/** Fixtures also captured with the page chrome, and the skin used for each. */
export const WHOLE_PAGE = [
  { name: '2025-03-31_sessionstore_unavailability', skin: 'vector' },
  { name: '2024-12-03_Port_saturation_Varnish_HEAD-GET', skin: 'vector-2022' },
];

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

/**
 * Selects `selector`'s contents in `page` and presses Ctrl+C, then pastes with Ctrl+V
 * into a textarea added to the page and keeps what the paste event carried: the
 * clipboard's text/html and text/plain exactly as a page that takes a paste (irdoc)
 * receives them. (navigator.clipboard.read() without `unsanitized` returns a
 * sanitized text/html that differs from what a paste delivers.)
 */
async function copyFromPage(page, selector) {
  await page.evaluate(async (sel) => {
    // An empty clipboard first, so a copy that did nothing cannot pass for one.
    await navigator.clipboard.writeText('');
    const el = document.querySelector(sel);
    if (!el) throw new Error(`no ${sel} on the page`);
    const range = document.createRange();
    range.selectNodeContents(el);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }, selector);
  await page.keyboard.press('Control+KeyC');
  await page.evaluate(() => {
    const box = document.createElement('textarea');
    box.id = 'irdoc-capture-paste';
    document.body.append(box);
    window.irdocPasted = null;
    box.addEventListener('paste', (event) => {
      const data = event.clipboardData;
      window.irdocPasted = { types: [...data.types], html: data.getData('text/html'), text: data.getData('text/plain') };
      event.preventDefault();
    });
    box.focus();
  });
  await page.keyboard.press('Control+KeyV');
  await page.waitForFunction(() => window.irdocPasted);
  const pasted = await page.evaluate(() => window.irdocPasted);
  if (!pasted.html || !pasted.text) {
    throw new Error(`the paste lacks text/html or text/plain after Ctrl+C (has: ${pasted.types.join(', ') || 'nothing'})`);
  }
  // The same bytes through the async clipboard API, as a cross-check.
  const read = await page.evaluate(async () => {
    const out = {};
    for (const item of await navigator.clipboard.read({ unsanitized: ['text/html'] })) {
      for (const type of item.types) out[type] = await (await item.getType(type)).text();
    }
    return out;
  });
  if (read['text/html'] !== pasted.html || read['text/plain'] !== pasted.text) {
    throw new Error('the paste event and navigator.clipboard.read() disagree about the copied text');
  }
  return { html: pasted.html, text: pasted.text };
}

async function main() {
  const port = Number(arg('--port', '8180'));
  const out = arg('--out', join(ROOT, 'crates', 'core', 'tests', 'data', 'rendered'));
  const fixtures = await fixturePages();
  const wiki = await startWiki({ pages: fixtures, port });
  let browser;
  try {
    console.log(`MediaWiki ${wiki.version} at ${wiki.base}`);
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: wiki.base });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const problems = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('response', (r) => r.status() >= 400 && problems.push(`http ${r.status()}: ${r.url()}`));
    page.on('request', (r) => {
      const { protocol, hostname } = new URL(r.url());
      if (protocol !== 'data:' && hostname !== '127.0.0.1') problems.push(`request outside 127.0.0.1: ${r.url()}`);
    });
    await mkdir(out, { recursive: true });

    const open = async (title, skin) => {
      const url = wiki.articleUrl(title) + (skin ? `?useskin=${skin}` : '');
      const res = await page.goto(url, { waitUntil: 'networkidle' });
      if (res.status() !== 200) throw new Error(`${url}: HTTP ${res.status()}`);
      // ResourceLoader's modules (and with them the page's final look) are in.
      await page.waitForFunction(() => window.mw?.loader?.getState('mediawiki.page.ready') === 'ready');
    };
    for (const f of fixtures) {
      await open(f.title);
      const { html, text } = await copyFromPage(page, '#mw-content-text');
      await writeFile(join(out, `${f.name}.html`), html);
      await writeFile(join(out, `${f.name}.txt`), text);
      console.log(`  ${f.name}.html (${html.length} chars), .txt (${text.length} chars)`);
    }
    for (const { name, skin } of WHOLE_PAGE) {
      const f = fixtures.find((x) => x.name === name);
      if (!f) throw new Error(`WHOLE_PAGE names ${name}, which SOURCES.md does not list`);
      await open(f.title, skin);
      const { html, text } = await copyFromPage(page, 'body');
      await writeFile(join(out, `${f.name}.page.html`), html);
      await writeFile(join(out, `${f.name}.page.txt`), text);
      console.log(`  ${f.name}.page.html (${skin}, ${html.length} chars), .page.txt (${text.length} chars)`);
    }
    if (problems.length) throw new Error(`the wiki's pages had errors:\n${problems.join('\n')}`);
    console.log(`written to ${out}`);
  } finally {
    await browser?.close().catch(() => {});
    await wiki.stop();
  }
}

main().catch((err) => {
  console.error(err.stack || err.message);
  process.exit(1);
});
