// Drafts that are never lost: real localStorage in Chromium. Reload, migration of a
// version-1 draft, corrupt entries, full storage, two tabs on one draft, backups.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { goToStep as go, openPage, startApp, waitForApp, waitForSave as saved } from './harness.mjs';

const V1 = new URL('../../crates/core/tests/data/drafts/v1-sessionstore.json', import.meta.url);
const SESSIONSTORE = new URL('../../crates/core/tests/data/wikitech/2025-03-31_sessionstore_unavailability.txt', import.meta.url);

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

/** A page whose localStorage holds `entries` before the app starts. */
async function openWith(entries, hash = '#/overview') {
  const opened = await openPage(app.browser);
  await opened.context.addInitScript((items) => {
    if (!sessionStorage.getItem('seeded')) {
      for (const [k, v] of Object.entries(items)) localStorage.setItem(k, v);
      sessionStorage.setItem('seeded', '1');
    }
  }, entries);
  await opened.page.goto(app.url + hash);
  await waitForApp(opened.page);
  return opened;
}

const wikitext = async (page) => {
  await go(page, 'export');
  return page.locator('[data-testid="wikitext"]').inputValue();
};

test('a reload keeps everything typed', async () => {
  const { page, errors } = await app.open('#/overview');
  await page.fill('#title', 'Incidents/2026-11-20 Reload');
  await page.fill('#meta-impact', 'Nobody could log in');
  await go(page, 'timeline');
  await page.click('[data-testid="add-entry"]');
  await page.locator('[data-testid="timeline-entry"] .text').fill('It began');
  await saved(page);
  const before = await wikitext(page);
  await page.reload();
  await waitForApp(page);
  assert.equal(await wikitext(page), before);
  await go(page, 'overview');
  assert.equal(await page.inputValue('#title'), 'Incidents/2026-11-20 Reload');
  assert.deepEqual(errors, []);
});

test('a draft saved by version 1 opens, migrated', async () => {
  const report = await readFile(V1, 'utf8');
  const draft = `{"format":"irdoc-draft","id":"old1","rev":3,"saved_at_ms":1732000000000,"writer":"tab-old","report":${report}}`;
  const { page, errors } = await openWith({ 'irdoc:draft:old1': draft, 'irdoc:last': 'old1' }, '#/actionables');
  assert.equal(await page.locator('[data-testid="actionable"] input[type=checkbox]').first().isChecked(), true);
  assert.equal(await wikitext(page), await readFile(SESSIONSTORE, 'utf8'));
  assert.deepEqual(errors, []);
});

test('a corrupt entry is reported, kept and offered for download', async () => {
  const corrupt = '{"format":"irdoc-draft","id":"bad","rev":';
  const { page, errors } = await openWith({ 'irdoc:draft:bad': corrupt, 'irdoc:draft:foreign': '{"hello":"world"}' }, '#/drafts');
  const listed = page.locator('[data-testid="unreadable"] li');
  assert.equal(await listed.count(), 2);
  assert.match(await listed.first().innerText(), /irdoc:draft:/);
  const download = page.waitForEvent('download');
  await listed.filter({ hasText: 'irdoc:draft:bad' }).locator('button').click();
  const file = await (await download).path();
  assert.equal(await readFile(file, 'utf8'), corrupt);
  assert.equal(await page.evaluate(() => localStorage.getItem('irdoc:draft:bad')), corrupt);
  // The app works: a new draft can be written and saved.
  await go(page, 'overview');
  await page.fill('#title', 'Still works');
  await saved(page);
  assert.deepEqual(errors, []);
});

test('full storage: the author is told at once, keeps typing, and can download', async () => {
  const { page, errors } = await app.open('#/overview');
  await page.evaluate(() => {
    const chunk = 'x'.repeat(256 * 1024);
    for (let i = 0; ; i++) {
      try { localStorage.setItem(`filler:${i}`, chunk); } catch { break; }
    }
    for (let size = 16 * 1024; size >= 1; size = Math.floor(size / 2)) {
      for (let i = 0; ; i++) {
        try { localStorage.setItem(`filler:s${size}:${i}`, 'x'.repeat(size)); } catch { break; }
      }
    }
  });
  await page.fill('#meta-impact', 'A long impact statement that no longer fits in storage');
  await page.waitForSelector('[data-testid="save-failed"]');
  assert.match(await page.locator('[data-testid="save-failed"]').innerText(), /storage for this site is full/);
  assert.equal(await page.inputValue('#meta-impact'), 'A long impact statement that no longer fits in storage');
  await page.fill('#title', 'Typing goes on');
  assert.equal(await page.inputValue('#title'), 'Typing goes on');
  const download = page.waitForEvent('download');
  await page.click('[data-testid="download-draft"]');
  const file = await download;
  assert.equal(file.suggestedFilename(), 'Typing_goes_on.json');
  const json = JSON.parse(await readFile(await file.path(), 'utf8'));
  assert.equal(json.title, 'Typing goes on');
  assert.match(json.metadata.impact, /no longer fits/);
  await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('filler:')).forEach((k) => localStorage.removeItem(k)));
  assert.deepEqual(errors, []);
});

test('storage disabled (private mode): the author is told and keeps working in memory', async () => {
  const { page, context, errors } = await openPage(app.browser);
  await context.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() { throw new DOMException('The operation is insecure.', 'SecurityError'); },
    });
  });
  await page.goto(app.url + '#/overview');
  await waitForApp(page);
  await page.fill('#title', 'Typed without storage');
  await page.waitForSelector('[data-testid="save-failed"]');
  assert.match(await page.locator('[data-testid="save-failed"]').innerText(), /does not let the page use local storage/);
  await go(page, 'summary');
  await page.fill('#summary', 'Still editable.');
  await go(page, 'overview');
  assert.equal(await page.inputValue('#title'), 'Typed without storage');
  await page.goto(app.url + '#/drafts');
  await page.waitForSelector('[data-testid="storage-problem"]');
  assert.deepEqual(errors, []);
});

test('two tabs on one draft: edits show up in the other, and a clash is never silent', async () => {
  const { page: a, context } = await app.open('#/overview');
  await a.fill('#title', 'Shared draft');
  await saved(a);
  const b = await context.newPage();
  await b.goto(app.url + '#/overview');
  await waitForApp(b);
  assert.equal(await b.inputValue('#title'), 'Shared draft');
  // An edit in A shows up in B.
  await a.fill('#meta-impact', 'Seen in both tabs');
  await saved(a);
  await b.waitForFunction(() => document.querySelector('#meta-impact')?.value === 'Seen in both tabs');
  // Both edit; A's autosave lands while B's is still pending (B typed 150 ms later, and an
  // autosave waits 300 ms): B must be told, and keeping both saves B's version as a copy.
  await a.fill('#meta-impact', 'A wrote this');
  await b.waitForTimeout(150);
  await b.fill('#meta-impact', 'B wrote this');
  await b.waitForSelector('[data-testid="conflict"]');
  assert.equal(await b.inputValue('#meta-impact'), 'B wrote this');
  assert.match(await a.locator('[data-testid="save-status"]').innerText(), /^Saved/);
  await b.click('[data-testid="keep-both"]');
  await a.goto(app.url + '#/drafts');
  await a.waitForFunction(() => document.querySelectorAll('[data-testid="draft"]').length === 2);
  const titles = await a.locator('[data-testid="draft"] .draft-title').allInnerTexts();
  assert.deepEqual(titles.sort(), ['Shared draft', 'Shared draft (copy)']);
});

test('backup: export all drafts, restore them into a fresh browser, merging', async () => {
  const { page } = await app.open('#/overview');
  await page.fill('#title', 'First report');
  await saved(page);
  await page.goto(app.url + '#/drafts');
  await page.click('[data-testid="new-light"]');
  await page.fill('#title', 'Second report');
  await saved(page);
  await page.goto(app.url + '#/drafts');
  const download = page.waitForEvent('download');
  await page.click('[data-testid="backup-export"]');
  const backup = await (await download).path();

  const { page: fresh } = await app.open('#/drafts');
  await fresh.setInputFiles('[data-testid="backup-import"]', backup);
  await fresh.waitForSelector('[data-testid="library-message"]');
  assert.match(await fresh.locator('[data-testid="library-message"]').innerText(), /2 added, 0 already here/);
  const titles = await fresh.locator('[data-testid="draft"] .draft-title').allInnerTexts();
  assert.deepEqual(titles.sort(), ['First report', 'Second report']);
  // Restoring again changes nothing; a changed draft with the same id is kept beside it.
  await fresh.setInputFiles('[data-testid="backup-import"]', backup);
  await fresh.waitForFunction(() => /0 added, 2 already here/.test(document.querySelector('[data-testid="library-message"]')?.textContent));
});

test('library: open, duplicate, rename, delete with undo', async () => {
  const { page } = await app.open('#/overview');
  await page.fill('#title', 'Library test');
  await saved(page);
  await page.goto(app.url + '#/drafts');
  await page.click('[data-testid="duplicate-draft"]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="draft"]').length === 2);
  await page.locator('[data-testid="draft"]', { hasText: '(copy)' }).locator('[data-testid="rename-draft"]').click();
  await page.locator('[data-testid="rename-input"]').fill('Renamed copy');
  await page.locator('[data-testid="rename-input"]').press('Enter');
  await page.waitForSelector('[data-testid="draft"] >> text=Renamed copy');
  const renamed = page.locator('[data-testid="draft"]', { hasText: 'Renamed copy' });
  await renamed.locator('[data-testid="delete-draft"]').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="draft"]').length === 1);
  await page.click('[data-testid="undo-delete"]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="draft"]').length === 2);
  await page.locator('[data-testid="draft"]', { hasText: 'Renamed copy' }).locator('[data-testid="open-draft"]').click();
  await page.waitForSelector('[data-testid="panel-overview"]');
  assert.equal(await page.inputValue('#title'), 'Renamed copy');
});

test('after opening another draft, editing a row changes that draft’s row', async () => {
  const { page } = await app.open('#/overview');
  const entries = page.locator('[data-testid="timeline-entry"]');
  const typeEntries = async (title, rows) => {
    await page.fill('#title', title);
    await go(page, 'timeline');
    for (const [time, what] of rows) {
      await page.click('[data-testid="add-entry"]');
      await entries.last().locator('.time').fill(time);
      await entries.last().locator('.text').fill(what);
    }
    await saved(page);
  };
  await typeEntries('Draft A', [['10:00', 'a one'], ['11:00', 'a two']]);
  await page.goto(app.url + '#/drafts');
  await page.click('[data-testid="new-full"]');
  await page.waitForSelector('[data-testid="panel-overview"]');
  await typeEntries('Draft B', [['08:00', 'b one'], ['09:00', 'b two']]);

  // Back to A: its rows have the places B's rows had.
  await page.goto(app.url + '#/drafts');
  await page.locator('[data-testid="draft"]', { hasText: 'Draft A' }).locator('[data-testid="open-draft"]').click();
  await page.waitForSelector('[data-testid="panel-overview"]');
  await go(page, 'timeline');
  await entries.nth(0).locator('.time').fill('10:30');
  await entries.nth(1).locator('.text').fill('a two, edited');
  await saved(page);
  const values = (part) => entries.locator(part).evaluateAll((els) => els.map((e) => e.value));
  assert.deepEqual(await values('.time'), ['10:30', '11:00']);
  assert.deepEqual(await values('.text'), ['a one', 'a two, edited']);
  const page_ = await wikitext(page);
  assert.match(page_, /10:30.*a one/);
  assert.match(page_, /a two, edited/);
  assert.doesNotMatch(page_, /b one|b two/);
});
