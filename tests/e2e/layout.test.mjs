// What a new user sees, measured in the DOM at 1280 and 360 px: nothing wider than the
// viewport, form controls that show their whole value, preview tables sized like the
// wiki's, file pickers whose label and button stay apart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { STEPS, goToStep as go, startApp } from './harness.mjs';

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
  const opened = await open('#/export', width);
  const { page } = opened;
  await page.fill('[data-testid="import-text"]', await readFile(SESSIONSTORE, 'utf8'));
  await page.click('[data-testid="import-paste"]');
  await page.waitForSelector('[data-testid="import-message"]');
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

  test(`at ${width} px a file picker's label and its button stay apart`, async () => {
    const pickers = [];
    for (const hash of ['#/drafts', '#/export']) {
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
      assert.ok(found.length > 0, `${hash} has a file picker`);
      for (const f of found) pickers.push({ ...f, hash, fits: f.right <= width });
      assert.deepEqual(errors, []);
    }
    assert.deepEqual(pickers.filter((p) => p.gap < 4 || !p.fits), [], 'labels touching their file input, or inputs past the edge');
  });
}
