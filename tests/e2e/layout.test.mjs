// What a new user sees, measured in the DOM at 1280 and 360 px: nothing wider than the
// viewport, form controls that show their whole value, preview tables sized like the
// wiki's, file pickers whose label and button stay apart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { STEPS, goToStep as go, importDocument, startApp } from './harness.mjs';

const SESSIONSTORE = new URL('../../crates/core/tests/data/wikitech/2025-03-31_sessionstore_unavailability.txt', import.meta.url);
const WIDTHS = [1280, 360];
const TIMES = ['2026-03-14 09:05', '2026-03-14 09:05:30', '09:05'];

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

const open = (hash, width) => app.open(hash, { viewport: { width, height: 800 } });

/** Opens a real page with a scorecard, and adds timeline entries with date-times. */
async function openReport(width) {
  const opened = await open('#/drafts', width);
  const { page } = opened;
  await importDocument(page, await readFile(SESSIONSTORE, 'utf8'));
  await go(page, 'timeline');
  for (const time of TIMES) {
    await page.click('[data-testid="add-entry"]');
    const entry = page.locator('[data-testid="timeline-entry"]').last();
    await entry.locator('.time').fill(time);
    await entry.locator('.text').fill(`Something happened at ${time}`);
  }
  return opened;
}

const sideways = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

for (const width of WIDTHS) {
  test(`at ${width} px no step and not the draft library is wider than the viewport`, async () => {
    const { page, errors } = await openReport(width);
    const wide = [];
    for (const { slug } of STEPS) {
      await go(page, slug);
      const overflow = await sideways(page);
      if (overflow > 0) wide.push(`${slug}: ${overflow} px`);
    }
    await page.click('[data-testid="drafts-link"]');
    await page.waitForSelector('[data-testid="library"]');
    const overflow = await sideways(page);
    if (overflow > 0) wide.push(`drafts: ${overflow} px`);
    assert.deepEqual(wide, [], 'pages that scroll sideways');
    assert.deepEqual(errors, []);
  });

  test(`at ${width} px a timeline time box shows its whole value`, async () => {
    const { page, errors } = await openReport(width);
    const times = page.locator('[data-testid="timeline-entry"] .time');
    const shown = await times.evaluateAll((inputs) =>
      inputs.map((input) => ({ value: input.value, cut: input.scrollWidth - input.clientWidth })),
    );
    for (const time of TIMES) assert.ok(shown.some((s) => s.value === time), `an entry shows ${time}`);
    assert.deepEqual(shown.filter((s) => s.cut > 0), [], 'time boxes too narrow for their value');
    assert.deepEqual(errors, []);
  });

  test(`at ${width} px the preview's tables size columns to their content and scroll in their own box`, async () => {
    const { page, errors } = await openReport(width);
    await go(page, 'export');
    const tables = await page.locator('[data-testid="preview"] table').evaluateAll((tables) => {
      const words = (node) => {
        const out = [];
        const walk = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
        while (walk.nextNode()) {
          // A word, or the part of one up to a hyphen, where lines may break.
          for (const m of walk.currentNode.data.matchAll(/[^\s-]+-?/g)) {
            const range = document.createRange();
            range.setStart(walk.currentNode, m.index);
            range.setEnd(walk.currentNode, m.index + m[0].length);
            out.push({ word: m[0], lines: new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size });
          }
        }
        return out;
      };
      const preview = document.querySelector('[data-testid="preview"]').getBoundingClientRect();
      return tables.map((table) => {
        const box = table.getBoundingClientRect();
        return {
          caption: table.caption?.textContent ?? '',
          broken: words(table).filter((w) => w.lines > 1).map((w) => w.word),
          inside: box.left >= preview.left && box.right <= preview.right,
          scrolls: table.scrollWidth <= table.clientWidth || ['auto', 'scroll'].includes(getComputedStyle(table).overflowX),
        };
      });
    });
    const scorecard = tables.find((t) => /ScoreCard/.test(t.caption));
    assert.ok(scorecard, 'the preview shows the scorecard table');
    for (const t of tables) {
      assert.deepEqual(t.broken, [], `words broken across lines in “${t.caption}”`);
      assert.ok(t.inside, `“${t.caption}” stays inside the preview`);
      assert.ok(t.scrolls, `“${t.caption}” scrolls when wider than its box`);
    }
    assert.deepEqual(errors, []);
  });

  test(`at ${width} px a file picker's label and its button stay apart`, async () => {
    const pickers = [];
    // Both pickers (restore a backup, open a document) are in the draft library: the
    // Export step's import moved to its Start panel.
    for (const hash of ['#/drafts']) {
      const { page, errors } = await open(hash, width);
      const found = await page.locator('label.file').evaluateAll((labels) =>
        labels.map((label) => {
          const range = document.createRange();
          range.selectNodeContents(label.firstChild);
          const text = range.getBoundingClientRect();
          const input = label.querySelector('input[type=file]').getBoundingClientRect();
          // Apart: at least a few pixels between them, beside or below.
          const gap = Math.max(input.left - text.right, text.left - input.right, input.top - text.bottom, text.top - input.bottom);
          return { label: label.firstChild.textContent.trim(), gap: Math.round(gap), right: input.right };
        }),
      );
      assert.ok(found.length >= 2, `${hash} has both file pickers`);
      for (const f of found) pickers.push({ ...f, hash, fits: f.right <= width });
      assert.deepEqual(errors, []);
    }
    assert.deepEqual(pickers.filter((p) => p.gap < 4 || !p.fits), [], 'labels touching their file input, or inputs past the edge');
  });
}
