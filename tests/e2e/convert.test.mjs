// Starting from the document an author has: real clipboard data (text/html and text/plain)
// pasted into the Start panel of the draft library, the review, then the report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { goToStep as go, startApp, waitForSave } from './harness.mjs';

const data = (path) => readFile(new URL(`../../crates/core/tests/data/${path}`, import.meta.url), 'utf8');

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

const text = (page, id) => page.locator(`[data-testid="${id}"]`).innerText();

/** Puts both flavours on the system clipboard and pastes them with a real Ctrl+V. */
async function pasteClipboard(page, html, plain) {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
  await page.evaluate(async ({ html, plain }) => {
    const item = new ClipboardItem({
      'text/html': new Blob([html], { type: 'text/html' }),
      'text/plain': new Blob([plain], { type: 'text/plain' }),
    });
    await navigator.clipboard.write([item]);
  }, { html, plain });
  await page.focus('[data-testid="import-text"]');
  await page.keyboard.press('Control+V');
  await page.waitForSelector('[data-testid="review"]');
  return text(page, 'review');
}

test('the Start panel is in the draft library and reached from the header', async () => {
  const { page, errors } = await app.open('#/overview');
  await page.click('[data-testid="start-link"]');
  await page.waitForSelector('[data-testid="start"]');
  for (const id of ['new-full', 'new-light', 'import-text', 'import-file', 'convert-tz']) {
    assert.equal(await page.locator(`[data-testid="${id}"]`).count(), 1, id);
  }
  // The Export step no longer imports; it points here.
  await page.evaluate(() => { location.hash = '#/export'; });
  await page.waitForSelector('[data-testid="import-moved"]');
  assert.equal(await page.locator('[data-testid="export-panel"] [data-testid="import-text"], [data-testid="panel-export"] [data-testid="import-text"]').count(), 0);
  assert.deepEqual(errors, []);
});

test('a Google Docs clipboard (both flavours) shows its review, then becomes the report', async () => {
  const { page, errors } = await app.open('#/drafts');
  const html = await data('convert/google-docs.html');
  const review = await pasteClipboard(page, html, 'Incident status\nSummary: Edits failed');
  assert.match(review, /Timeline: 3 timeline entries/);
  assert.match(review, /Actionables: 2 actionables \(1 with a task\)/);
  assert.match(review, /Scorecard: 3 of 15 scorecard answers, stated total 2/);
  assert.match(review, /kept as a section of its own: “Open questions”/);
  // The textarea shows the plain flavour; nothing of the HTML is in the page.
  assert.equal(await page.locator('[data-testid="import-text"]').inputValue(), 'Incident status\nSummary: Edits failed');
  await page.click('[data-testid="review-accept"]');
  await page.waitForSelector('[data-testid="panel-overview"]');
  assert.equal(await page.locator('#meta-coordinators').inputValue(), 'swfrench');
  await go(page, 'timeline');
  assert.equal(await page.locator('[data-testid="timeline-entry"]').count(), 3);
  await go(page, 'export');
  const wikitext = await page.locator('[data-testid="wikitext"]').inputValue();
  assert.match(wikitext, /\* 2025-03-31 02:58 sessionstore returns 500s — '''OUTAGE BEGINS'''/);
  assert.match(wikitext, /\* Read the \[https:\/\/wikitech\.wikimedia\.org\/wiki\/SessionStorage\/Runbook runbook\] again/);
  assert.doesNotMatch(wikitext, /javascript:/);
  assert.deepEqual(errors, []);
});

test('a rendered wiki page copied from the browser converts with its scorecard and metadata', async () => {
  const { page, errors } = await app.open('#/drafts');
  const html = await data('rendered/2025-03-31_sessionstore_unavailability.html');
  const plain = await data('rendered/2025-03-31_sessionstore_unavailability.txt');
  const review = await pasteClipboard(page, html, plain);
  assert.match(review, /Title: Incidents\/2025-03-31 sessionstore unavailability/);
  assert.match(review, /Metadata: 8 of 8 fields/);
  assert.match(review, /Timeline: 9 timeline entries/);
  assert.match(review, /Scorecard: 15 of 15 scorecard answers, stated total 10/);
  await page.click('[data-testid="review-accept"]');
  await page.waitForSelector('[data-testid="panel-overview"]');
  assert.equal(await page.locator('#title').inputValue(), 'Incidents/2025-03-31 sessionstore unavailability');
  assert.equal(await page.locator('#meta-task').inputValue(), 'T390513');
  assert.equal(await text(page, 'score-total'), '10');
  await go(page, 'timeline');
  assert.equal(await page.locator('[data-testid="timeline-entry"]').count(), 9);
  assert.deepEqual(errors, []);
});

test('pasted plain text (a tab-separated scorecard) scores 13 of 15 as it states', async () => {
  const { page, errors } = await app.open('#/drafts');
  const seed = await data('seeds/004_0a807d7f194d5a1d.txt');
  await page.evaluate((plain) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', plain);
    document.querySelector('[data-testid="import-text"]').dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, seed);
  await page.waitForSelector('[data-testid="review"]');
  assert.match(await text(page, 'review'), /Scorecard: 15 of 15 scorecard answers, stated total 13 \(13 yes\)/);
  await page.click('[data-testid="review-accept"]');
  await page.waitForSelector('[data-testid="panel-overview"]');
  assert.equal(await text(page, 'score-total'), '13');
  await go(page, 'export');
  const checks = await page.locator('.checks').innerText();
  assert.doesNotMatch(checks, /states a total/);
  assert.deepEqual(errors, []);
});

test('cancel keeps everything as it was; accepting never replaces the open draft', async () => {
  const { page, errors } = await app.open('#/overview');
  await page.fill('#title', 'Incidents/2026-12-01 Mine');
  await waitForSave(page);
  await page.click('[data-testid="drafts-link"]');
  await page.waitForSelector('[data-testid="start"]');
  const before = await page.locator('[data-testid="draft-list"] li').count();
  await page.fill('[data-testid="import-text"]', 'Timeline\n\n18:33 it broke\n18:40 fixed\n');
  await page.click('[data-testid="import-paste"]');
  await page.waitForSelector('[data-testid="review"]');
  await page.click('[data-testid="review-cancel"]');
  assert.equal(await page.locator('[data-testid="review"]').count(), 0);
  assert.equal(await page.locator('[data-testid="draft-list"] li').count(), before);
  await page.click('[data-testid="import-paste"]');
  await page.click('[data-testid="review-accept"]');
  await page.waitForSelector('[data-testid="panel-overview"]');
  assert.equal(await page.locator('#title').inputValue(), '');
  await page.click('[data-testid="drafts-link"]');
  await page.waitForSelector('[data-testid="draft-list"]');
  const titles = await page.locator('[data-testid="draft-list"]').innerText();
  assert.match(titles, /Incidents\/2026-12-01 Mine/);
  assert.equal(await page.locator('[data-testid="draft-list"] li').count(), before + 1);
  assert.deepEqual(errors, []);
});

test('hostile HTML on the clipboard is read as text: nothing runs, nothing loads', async () => {
  const { page, errors } = await app.open('#/drafts');
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs += 1; d.dismiss(); });
  const requests = [];
  page.on('request', (r) => { if (!r.url().startsWith(app.url)) requests.push(r.url()); });
  const hostile = '<h2>Summary</h2><p>Hi <img src="https://evil.example/x.png" onerror="window.pwned=1"><script>window.pwned=2</script>'
    + '<iframe src="https://evil.example/"></iframe><a href="javascript:window.pwned=3">click</a> <b onmouseover="window.pwned=4">bold</b></p>'
    + '<h2>Timeline</h2><ul><li>18:33 <style>body{display:none}</style>ok</li></ul>';
  const review = await pasteClipboard(page, hostile, 'Hi');
  assert.match(review, /Timeline: 1 timeline entry/);
  await page.click('[data-testid="review-accept"]');
  await page.waitForSelector('[data-testid="panel-overview"]');
  await go(page, 'export');
  const wikitext = await page.locator('[data-testid="wikitext"]').inputValue();
  assert.match(wikitext, /Hi click bold/);
  assert.doesNotMatch(wikitext, /javascript|onerror|script|iframe|evil/);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.equal(dialogs, 0);
  assert.deepEqual(requests, []);
  assert.deepEqual(errors, []);
});

test('files open through the same review: .html, .md and .txt', async () => {
  const { page, errors } = await app.open('#/drafts');
  const files = [
    ['doc.html', 'text/html', await data('convert/google-docs.html'), /Timeline: 3 timeline entries/],
    ['notes.md', 'text/markdown', '# Incident\n\n## Timeline\n\n- 18:33 Sync starts\n- 18:48 Done\n', /Timeline: 2 timeline entries/],
    ['seed.txt', 'text/plain', await data('seeds/002_a29057a470cdeb0d.txt'), /Timeline: 53 timeline entries \(65 without a time joined to the one before\)/],
  ];
  for (const [name, mimeType, body, expected] of files) {
    await page.setInputFiles('[data-testid="import-file"]', { name, mimeType, buffer: Buffer.from(body) });
    await page.waitForSelector('[data-testid="review"]');
    assert.match(await text(page, 'review'), expected, name);
    assert.match(await text(page, 'review'), new RegExp(`Found in ${name.replace('.', '\\.')}`));
    await page.click('[data-testid="review-cancel"]');
  }
  assert.deepEqual(errors, []);
});

test('the time zone the author chooses shifts times to UTC', async () => {
  const { page, errors } = await app.open('#/drafts');
  await page.fill('[data-testid="import-text"]', 'Timeline\n\n2025-03-31 01:30 first\n02:10 second\n');
  await page.click('[data-testid="import-paste"]');
  await page.waitForSelector('[data-testid="review"]');
  await page.selectOption('[data-testid="convert-tz"]', '120');
  await page.waitForFunction(() => /shifted to UTC from UTC\+02:00/.test(document.querySelector('[data-testid="review"]').innerText));
  await page.click('[data-testid="review-accept"]');
  await page.waitForSelector('[data-testid="panel-overview"]');
  await go(page, 'export');
  assert.match(await page.locator('[data-testid="wikitext"]').inputValue(), /\* 2025-03-30 23:30 first\n\* 2025-03-31 00:10 second/);
  assert.deepEqual(errors, []);
});
