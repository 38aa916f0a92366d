// What the library says about storage, against Chromium's real localStorage: the drafts' size
// against the 5 MB the browser keeps per site, and a warning with what to do from 80% on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, waitForApp, waitForSave as saved } from './harness.mjs';

/** localStorage's limit per site, in UTF-16 code units of keys plus values (core's STORAGE_LIMIT). */
const LIMIT = 5 * 1024 * 1024;

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

/** What localStorage holds, in code units: irdoc's entries and all of them. */
const usage = (page) =>
  page.evaluate(() => {
    let irdoc = 0;
    let total = 0;
    for (const key of Object.keys(localStorage)) {
      const units = key.length + localStorage.getItem(key).length;
      total += units;
      if (key.startsWith('irdoc:')) irdoc += units;
    }
    return { irdoc, total };
  });

const facts = (page) => page.locator('[data-testid="storage-facts"]').innerText();

test('the library says how much the drafts take of the 5 MB', async () => {
  const { page, errors } = await app.open('#/overview');
  await page.fill('#title', 'A small report');
  await page.fill('#meta-impact', 'x'.repeat(3000));
  await saved(page);
  await page.evaluate(() => { location.hash = '#/drafts'; });
  const { irdoc, total } = await usage(page);
  assert.equal(irdoc, total);
  const kb = Math.ceil(irdoc / 1024);
  assert.ok(kb >= 3 && kb < 10, `${kb} KB`);
  assert.match(await facts(page), new RegExp(`^Drafts take ${kb} KB of the 5 MB this browser keeps for this site\\.`));
  assert.equal(await page.locator('[data-testid="storage-warning"]').count(), 0);
  assert.deepEqual(errors, []);
});

test('from 80% full the author is warned, in the library and the editor, with what to do', async () => {
  const { page, context, errors } = await app.open('#/drafts');
  await page.evaluate(() => { location.hash = '#/overview'; });
  await page.fill('#title', 'Report in a crowded site');
  await saved(page);
  await page.evaluate(() => { location.hash = '#/drafts'; });
  // Another page of the same site fills its storage to 85% (real localStorage).
  const other = await context.newPage();
  await other.goto(app.url + 'favicon.svg');
  const filled = await other.evaluate(({ LIMIT }) => {
    let total = 0;
    for (const key of Object.keys(localStorage)) total += key.length + localStorage.getItem(key).length;
    const key = 'other-app:cache';
    localStorage.setItem(key, 'x'.repeat(Math.floor(LIMIT * 0.85) - total - key.length));
    return key.length + localStorage.getItem(key).length;
  }, { LIMIT });
  // Another renderer's write reaches this page's localStorage with its storage event.
  const warning = page.locator('[data-testid="storage-warning"]');
  await warning.waitFor();
  const { irdoc, total } = await usage(page);
  assert.equal(total, Math.floor(LIMIT * 0.85));
  assert.equal(
    await warning.innerText(),
    "This site's storage is 85% full (4.3 MB of 5 MB): once it is full, edits can no longer be saved. " +
      'Download a backup of all drafts, then delete the drafts you no longer need. Go to the drafts',
  );
  assert.match(
    await facts(page),
    new RegExp(`^Drafts take ${Math.ceil(irdoc / 1024)} KB of the 5 MB this browser keeps for this site \\(other pages of this site take ${(filled / 1024 / 1024).toFixed(1)} MB\\)\\.`),
  );
  // The editor shows it too, and the draft still saves.
  await page.evaluate(() => { location.hash = '#/overview'; });
  await warning.waitFor();
  await page.fill('#meta-impact', 'Still saved at 85%');
  await saved(page);
  // Once the other page makes room, the warning goes.
  await other.evaluate(() => localStorage.removeItem('other-app:cache'));
  await warning.waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
});

test('the 5 MB is the real limit: storage filled until refused reads as 100% full', async () => {
  const { page, context, errors } = await app.open('#/drafts');
  const other = await context.newPage();
  await other.goto(app.url + 'favicon.svg');
  const total = await other.evaluate(() => {
    const fill = (prefix, size) => {
      for (let i = 0; ; i++) {
        try { localStorage.setItem(`${prefix}${i}`, 'x'.repeat(size)); } catch { return; }
      }
    };
    fill('f:', 256 * 1024);
    for (let size = 16 * 1024; size >= 1; size = Math.floor(size / 2)) fill(`f${size}:`, size);
    let total = 0;
    for (const key of Object.keys(localStorage)) total += key.length + localStorage.getItem(key).length;
    return total;
  });
  // What was refused is within a short key of the limit, and never beyond it.
  assert.ok(total <= LIMIT && LIMIT - total < 16, `${total} of ${LIMIT}`);
  const warning = page.locator('[data-testid="storage-warning"]');
  // The other tab's writes reach this tab as storage events, one after another: the warning
  // shows from 80% on and climbs with them, so wait for the last of them.
  const full = /storage is (99|100)% full \(5 MB of 5 MB\)/;
  await page.waitForFunction(
    (source) => new RegExp(source).test(document.querySelector('[data-testid="storage-warning"]')?.innerText ?? ''),
    full.source,
  );
  assert.match(await warning.innerText(), full);
  await other.evaluate(() => Object.keys(localStorage).filter((k) => !k.startsWith('irdoc:')).forEach((k) => localStorage.removeItem(k)));
  await warning.waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
});
