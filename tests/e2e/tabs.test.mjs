// Two tabs on one draft library: every write to storage (autosave, rename, duplicate, delete
// and undo, restore from backup, a shared report kept) is seen by the tab that has the draft
// open. Two pages in one browser context share localStorage and get each other's `storage`
// events, as two tabs do.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, waitForApp, waitForSave as saved } from './harness.mjs';

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

/** The stored draft titled `title`, as the page's localStorage holds it. */
const stored = (page, title) =>
  page.evaluate((title) => {
    for (const key of Object.keys(localStorage)) {
      if (!key.startsWith('irdoc:draft:')) continue;
      const draft = JSON.parse(localStorage.getItem(key));
      if (draft.report.title === title) return draft;
    }
    return null;
  }, title);

const storedKeys = (page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('irdoc:draft:')).sort());

/**
 * Tab A with draft X ("Draft X") open and saved; tab B, in the same browser, with another
 * draft ("Draft Y") open, showing the library.
 */
async function twoTabs() {
  const { page: a, context, errors } = await app.open('#/overview');
  await a.fill('#title', 'Draft X');
  await saved(a);
  const b = await context.newPage();
  b.on('pageerror', (err) => errors.push(`B pageerror: ${err.message}`));
  await b.goto(app.url + '#/drafts');
  await waitForApp(b);
  await b.click('[data-testid="new-full"]');
  await b.fill('#title', 'Draft Y');
  await saved(b);
  await b.evaluate(() => { location.hash = '#/drafts'; });
  await b.waitForSelector('[data-testid="draft"] >> text=Draft X');
  return { a, b, errors, x: await stored(a, 'Draft X') };
}

const row = (page, title) => page.locator('[data-testid="draft"]', { has: page.locator('.draft-title', { hasText: new RegExp(`^${title}$`) }) });

async function startRename(page, from, to) {
  await row(page, from).locator('[data-testid="rename-draft"]').click();
  await page.locator('[data-testid="rename-input"]').fill(to);
}

test('a rename in another tab is taken in, and the next autosave keeps it', async () => {
  const { a, b, errors, x } = await twoTabs();
  await startRename(b, 'Draft X', 'Renamed in B');
  await b.locator('[data-testid="rename-input"]').press('Enter');
  // A had nothing unsaved: it shows the new title at once.
  await a.waitForFunction(() => document.querySelector('#title')?.value === 'Renamed in B');
  const renamed = await stored(b, 'Renamed in B');
  assert.equal(renamed.id, x.id);
  assert.equal(renamed.rev, x.rev + 1);
  assert.notEqual(renamed.writer, x.writer, 'the rename is stamped with the tab that made it');
  // A's next keystroke saves over the renamed draft, keeping the new title.
  await a.fill('#meta-impact', 'Typed in A after the rename');
  await saved(a);
  const after = await stored(a, 'Renamed in B');
  assert.equal(after.rev, x.rev + 2);
  assert.equal(after.report.metadata.impact, 'Typed in A after the rename');
  assert.equal(await a.locator('[data-testid="conflict"]').count(), 0);
  assert.deepEqual(errors, []);
});

test('a rename in another tab while this tab has unsaved edits is a conflict, never overwritten', async () => {
  const { a, b, errors } = await twoTabs();
  await startRename(b, 'Draft X', 'Renamed in B');
  // A types, and before its autosave (300 ms later) B's rename lands.
  await a.fill('#meta-impact', 'Unsaved in A');
  await b.locator('[data-testid="rename-input"]').press('Enter');
  await a.waitForSelector('[data-testid="conflict"]');
  assert.equal(await a.inputValue('#meta-impact'), 'Unsaved in A');
  await a.waitForTimeout(600);
  assert.ok(await stored(a, 'Renamed in B'), 'the rename is still stored');
  // Keeping both: the rename stays, A's edits are a copy.
  await a.click('[data-testid="keep-both"]');
  await saved(a);
  const copy = await stored(a, 'Draft X (copy)');
  assert.equal(copy.report.metadata.impact, 'Unsaved in A');
  assert.ok(await stored(a, 'Renamed in B'));
  assert.deepEqual(errors, []);
});

test('a duplicate in another tab is a new draft by that tab; the open one is untouched', async () => {
  const { a, b, errors, x } = await twoTabs();
  await row(b, 'Draft X').locator('[data-testid="duplicate-draft"]').click();
  await b.waitForSelector('[data-testid="draft"] >> text=Draft X (copy)');
  const copy = await stored(a, 'Draft X (copy)');
  assert.notEqual(copy.id, x.id);
  assert.equal(copy.rev, 1);
  assert.notEqual(copy.writer, x.writer);
  assert.deepEqual(await stored(a, 'Draft X'), x);
  await a.fill('#meta-impact', 'Still saving');
  await saved(a);
  assert.equal((await stored(a, 'Draft X')).rev, x.rev + 1);
  await a.evaluate(() => { location.hash = '#/drafts'; });
  await a.waitForSelector('[data-testid="draft"] >> text=Draft X (copy)');
  assert.deepEqual(errors, []);
});

test('a delete in another tab is shown; typing does not bring the draft back; keeping it does', async () => {
  const { a, b, errors, x } = await twoTabs();
  await row(b, 'Draft X').locator('[data-testid="delete-draft"]').click();
  await a.waitForSelector('[data-testid="deleted-elsewhere"]');
  assert.match(await a.locator('[data-testid="save-status"]').innerText(), /Deleted in another tab/);
  assert.equal(await a.inputValue('#title'), 'Draft X');
  // Typing goes on in A, but is not saved over the delete.
  await a.fill('#meta-impact', 'Typed after the delete');
  await a.waitForTimeout(700);
  assert.equal(await stored(a, 'Draft X'), null);
  // Keep it: stored again, with what A typed, as a newer revision than any tab had.
  await a.click('[data-testid="keep-deleted"]');
  await saved(a);
  const kept = await stored(a, 'Draft X');
  assert.equal(kept.id, x.id);
  assert.equal(kept.rev, x.rev + 1);
  assert.equal(kept.report.metadata.impact, 'Typed after the delete');
  assert.equal(await a.locator('[data-testid="deleted-elsewhere"]').count(), 0);
  await b.waitForSelector('[data-testid="draft"] >> text=Draft X');
  assert.deepEqual(errors, []);
});

test('leaving a tab whose edits are not stored asks first; a saved tab closes at once', async () => {
  const { a, b, errors } = await twoTabs();
  await row(b, 'Draft X').locator('[data-testid="delete-draft"]').click();
  await a.waitForSelector('[data-testid="deleted-elsewhere"]');
  // Real clicks and keys: browsers ask before unload only on a page the user interacted with.
  await a.click('#meta-impact');
  await a.keyboard.type('Typed after the delete');
  const asked = [];
  for (const [name, page] of [['A', a], ['B', b]]) {
    page.on('dialog', (dialog) => {
      asked.push(`${name} ${dialog.type()}`);
      dialog.dismiss();
    });
  }
  // B's draft is stored: it closes without a question.
  const closed = new Promise((resolve) => b.once('close', resolve));
  await b.close({ runBeforeUnload: true });
  await closed;
  // A's edits live in A only: the browser asks, and staying keeps them.
  await a.close({ runBeforeUnload: true });
  await a.waitForTimeout(500);
  assert.deepEqual(asked, ['A beforeunload']);
  assert.equal(a.isClosed(), false);
  assert.equal(await a.inputValue('#meta-impact'), 'Typed after the delete');
  assert.deepEqual(errors, []);
});

test('a delete in another tab can be let go: this tab starts a new draft', async () => {
  const { a, b, errors, x } = await twoTabs();
  await row(b, 'Draft X').locator('[data-testid="delete-draft"]').click();
  await a.waitForSelector('[data-testid="deleted-elsewhere"]');
  await a.click('[data-testid="let-go"]');
  await a.waitForFunction(() => document.querySelector('#title')?.value === '');
  assert.match(await a.locator('[data-testid="save-status"]').innerText(), /^New draft/);
  await a.fill('#title', 'Something else');
  await saved(a);
  assert.ok(!(await storedKeys(a)).includes(`irdoc:draft:${x.id}`));
  assert.deepEqual(errors, []);
});

test('a delete undone in another tab is taken in by the tab that has the draft open', async () => {
  const { a, b, errors, x } = await twoTabs();
  await row(b, 'Draft X').locator('[data-testid="delete-draft"]').click();
  await a.waitForSelector('[data-testid="deleted-elsewhere"]');
  await b.click('[data-testid="undo-delete"]');
  await a.waitForSelector('[data-testid="deleted-elsewhere"]', { state: 'detached' });
  assert.match(await a.locator('[data-testid="save-status"]').innerText(), /^Saved/);
  const back = await stored(a, 'Draft X');
  assert.equal(back.rev, x.rev + 1);
  assert.notEqual(back.writer, x.writer);
  await a.fill('#meta-impact', 'After the undo');
  await saved(a);
  assert.equal((await stored(a, 'Draft X')).report.metadata.impact, 'After the undo');
  assert.deepEqual(errors, []);
});

test('a backup restored in another tab brings back the draft this tab has open', async () => {
  const { a, b, errors, x } = await twoTabs();
  const download = b.waitForEvent('download');
  await b.click('[data-testid="backup-export"]');
  const backup = await (await download).path();
  await row(b, 'Draft X').locator('[data-testid="delete-draft"]').click();
  await a.waitForSelector('[data-testid="deleted-elsewhere"]');
  await b.setInputFiles('[data-testid="backup-import"]', backup);
  await b.waitForFunction(() => /1 added, 1 already here/.test(document.querySelector('[data-testid="library-message"]')?.textContent));
  await a.waitForSelector('[data-testid="deleted-elsewhere"]', { state: 'detached' });
  const restored = await stored(a, 'Draft X');
  assert.equal(restored.rev, x.rev + 1);
  assert.notEqual(restored.writer, x.writer);
  assert.equal(await a.inputValue('#title'), 'Draft X');
  assert.deepEqual(errors, []);
});

test('a shared copy kept in another tab (replace my draft) is taken in', async () => {
  const { a, b, errors, x } = await twoTabs();
  // A shares its draft, then goes on editing it.
  await a.evaluate(() => { location.hash = '#/export'; });
  await a.click('[data-testid="share-make"]');
  const link = await a.locator('[data-testid="share-link"]').inputValue();
  await a.evaluate(() => { location.hash = '#/overview'; });
  await a.fill('#title', 'Draft X, edited after sharing');
  await saved(a);
  const edited = await stored(a, 'Draft X, edited after sharing');
  // B opens the link and replaces its copy of the draft with the shared one.
  await b.goto(link);
  await b.click('[data-testid="shared-replace"]');
  await a.waitForFunction(() => document.querySelector('#title')?.value === 'Draft X');
  const replaced = await stored(a, 'Draft X');
  assert.equal(replaced.id, x.id);
  assert.equal(replaced.rev, edited.rev + 1);
  assert.notEqual(replaced.writer, edited.writer);
  assert.deepEqual(errors, []);
});

test('a shared report saved as my draft in another tab is listed here, stamped by that tab', async () => {
  const { a, b, errors, x } = await twoTabs();
  // A shares X, then deletes it; B opens the link and keeps it as its own.
  await a.evaluate(() => { location.hash = '#/export'; });
  await a.click('[data-testid="share-make"]');
  const link = await a.locator('[data-testid="share-link"]').inputValue();
  await a.evaluate(() => { location.hash = '#/drafts'; });
  await row(a, 'Draft X').locator('[data-testid="delete-draft"]').click();
  await a.waitForSelector('[data-testid="deleted"]');
  await b.goto(link);
  await b.click('[data-testid="shared-save"]');
  await row(a, 'Draft X').waitFor();
  const kept = await stored(a, 'Draft X');
  assert.equal(kept.id, x.id);
  assert.equal(kept.rev, 1);
  assert.notEqual(kept.writer, x.writer);
  assert.deepEqual(errors, []);
});

test('an autosave in another tab is taken in, stamped by that tab', async () => {
  const { page: a, context, errors } = await app.open('#/overview');
  await a.fill('#title', 'Draft X');
  await saved(a);
  const x = await stored(a, 'Draft X');
  const b = await context.newPage();
  await b.goto(app.url + '#/overview');
  await waitForApp(b);
  await b.fill('#meta-impact', 'Typed in B');
  await saved(b);
  await a.waitForFunction(() => document.querySelector('#meta-impact')?.value === 'Typed in B');
  const after = await stored(a, 'Draft X');
  assert.equal(after.rev, x.rev + 1);
  assert.notEqual(after.writer, x.writer);
  assert.deepEqual(errors, []);
});
