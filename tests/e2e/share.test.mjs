// Sharing from a static host: links that carry the draft (plain or passphrase-protected),
// published drafts beside the app, and every kind of bad link refused with its message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, mkdir, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { DIST, fillEveryField, goToStep as go, importDocument, openPage, startApp, waitForApp, waitForSave } from './harness.mjs';

const FIXTURE = new URL('../../crates/core/tests/data/wikitech/2024-12-03_Port_saturation_Varnish_HEAD-GET.txt', import.meta.url);
const PUBLISHED = join(DIST, 'drafts-under-test');

let app;
let page0;
before(async () => {
  app = await startApp();
  page0 = await readFile(FIXTURE, 'utf8');
  await mkdir(PUBLISHED, { recursive: true });
  await writeFile(join(PUBLISHED, 'varnish.wiki'), page0);
});
after(async () => {
  await rm(PUBLISHED, { recursive: true, force: true });
  await app?.close();
});


/** A page with the fixture imported, on the Export step. */
async function authorWithFixture() {
  const opened = await app.open('#/drafts');
  await importDocument(opened.page, page0);
  await go(opened.page, 'export');
  return opened;
}

async function makeLink(page, passphrase) {
  if (passphrase) {
    await page.check('[data-testid="share-protect"]');
    await page.fill('[data-testid="share-passphrase"]', passphrase);
  }
  await page.click('[data-testid="share-make"]');
  await page.waitForSelector('[data-testid="share-link"]');
  return page.locator('[data-testid="share-link"]').inputValue();
}

/** Opens `url` in a fresh browser context (no shared storage). */
async function openFresh(url) {
  const opened = await openPage(app.browser);
  await opened.page.goto(url);
  await waitForApp(opened.page);
  await opened.page.waitForSelector('[data-testid="shared"]');
  return opened;
}

test('a share link opens in a fresh browser with identical content', async () => {
  const { page } = await authorWithFixture();
  const link = await makeLink(page);
  assert.match(link, /#share=[A-Za-z0-9_-]+$/);
  const { page: reader, errors } = await openFresh(link);
  await reader.waitForSelector('[data-testid="shared-preview"] h2');
  assert.match(await reader.locator('[data-testid="shared-score"]').innerText(), /Score 7 \/ 15/);
  await reader.click('[data-testid="shared-save"]');
  await reader.waitForSelector('[data-testid="panel-overview"]');
  await go(reader, 'export');
  assert.equal(await reader.locator('[data-testid="wikitext"]').inputValue(), page0);
  assert.doesNotMatch(reader.url(), /share=/);
  assert.deepEqual(errors, []);
});

test('a passphrase-protected link needs the passphrase, and says when it is wrong', async () => {
  const { page } = await authorWithFixture();
  const link = await makeLink(page, 'correct horse battery');
  const { page: reader } = await openFresh(link);
  await reader.fill('[data-testid="unlock-passphrase"]', 'wrong passphrase');
  await reader.click('[data-testid="unlock"]');
  await reader.waitForSelector('[data-testid="unlock-wrong"]');
  await reader.fill('[data-testid="unlock-passphrase"]', 'correct horse battery');
  await reader.click('[data-testid="unlock"]');
  await reader.waitForSelector('[data-testid="shared-preview"] h2');
  assert.match(await reader.locator('[data-testid="shared-title"]').innerText(), /Untitled report|Port/);
});

test('a published draft beside the app opens read-only', async () => {
  const { page, errors } = await openPage(app.browser);
  await page.goto(`${app.url}?draft=drafts-under-test/varnish.wiki`);
  await page.waitForSelector('[data-testid="shared-preview"] h2');
  assert.match(await page.locator('[data-testid="shared"]').innerText(), /published draft \/drafts-under-test\/varnish\.wiki/);
  assert.match(await page.locator('[data-testid="shared-checks"]').innerText(), /states a total of 6/);
  // Another site's file is refused.
  await page.goto(`${app.url}?draft=https://example.org/x.wiki`);
  await page.waitForSelector('[data-testid="shared-error"]');
  assert.match(await page.locator('[data-testid="shared-error"]').innerText(), /another site/);
  assert.deepEqual(errors.filter((e) => !e.includes('example.org')), []);
});

/** Link data for raw bytes: irdoc's envelope ('I', version, kind, u32 length, body, CRC-32). */
function envelope(body, { version = 1, kind = 'P' } = {}) {
  const head = Buffer.from([0x49, version, kind.charCodeAt(0), 0, 0, 0, 0]);
  head.writeUInt32BE(body.length, 3);
  const checked = Buffer.concat([head, body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(checked));
  return Buffer.concat([checked, crc]).toString('base64url');
}

test('bad links are refused with a clear message and load nothing', async () => {
  const { page } = await authorWithFixture();
  const good = (await makeLink(page)).split('#share=')[1];
  const flipped = good.slice(0, 40) + (good[40] === 'A' ? 'B' : 'A') + good.slice(41);
  const bomb = envelope(zlib.deflateRawSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 }));
  const cases = [
    ['truncated', good.slice(0, Math.floor(good.length / 2)), /incomplete/],
    ['tampered', flipped, /damaged/],
    ['oversized', bomb, /larger than/],
    ['not DEFLATE inside', envelope(Buffer.from([0xff, 0xff, 0xff, 0xff])), /damaged/],
    ['newer version', envelope(Buffer.from('x'), { version: 7 }), /newer version of irdoc/],
    ['not irdoc', Buffer.from('hello, this is not irdoc').toString('base64url'), /not an irdoc share link/],
    ['not a report', envelope(zlib.deflateRawSync(Buffer.from('{"format":"something-else"}'))), /not an irdoc report/],
    ['garbage', '%%%***', /changed somewhere|not an irdoc/],
  ];
  for (const [name, data, message] of cases) {
    const { page: reader, context } = await openFresh(`${app.url}#share=${data}`);
    await reader.waitForSelector('[data-testid="shared-error"]');
    assert.match(await reader.locator('[data-testid="shared-error"]').innerText(), message, name);
    assert.equal(await reader.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('irdoc:draft:')).length), 0, name);
    await context.close();
  }
});

test('an XSS payload in every field of a shared report renders as text', async () => {
  const { page } = await app.open('#/overview');
  const payload = `<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>[javascript:window.pwned=1 x]`;
  await fillEveryField(page, payload);
  await go(page, 'export');
  const link = await makeLink(page);
  const { page: reader, errors } = await openFresh(link);
  let dialogs = 0;
  reader.on('dialog', (d) => { dialogs++; d.dismiss(); });
  await reader.waitForSelector('[data-testid="shared-preview"]');
  assert.equal(await reader.locator('[data-testid="shared"] img, [data-testid="shared"] script, [onerror]').count(), 0);
  assert.equal(await reader.locator('a[href^="javascript"]').count(), 0);
  assert.equal(await reader.locator('[data-testid="shared-title"]').innerText(), payload);
  assert.equal(await reader.evaluate(() => window.pwned), undefined);
  assert.equal(dialogs, 0);
  assert.deepEqual(errors, []);
});

test('opening a link of a draft the reader already has shows what changed, never overwrites', async () => {
  const { page, context } = await authorWithFixture();
  await waitForSave(page);
  const link = await makeLink(page);
  // The reader (same browser) edits their copy, then opens the shared one.
  await go(page, 'summary');
  await page.fill('#summary', 'My own summary.');
  await waitForSave(page);
  const reader = await context.newPage();
  await reader.goto(link);
  await reader.waitForSelector('[data-testid="shared-changes"]');
  const changes = await reader.locator('[data-testid="shared-changes"]').innerText();
  assert.match(changes, /Summary/);
  assert.match(changes, /− My own summary\./);
  assert.doesNotMatch(changes, /Timeline/);
  await reader.click('[data-testid="shared-save-new"]');
  await reader.waitForSelector('[data-testid="panel-overview"]');
  await reader.goto(app.url + '#/drafts');
  await reader.waitForFunction(() => document.querySelectorAll('[data-testid="draft"]').length === 2);
});

test('a share link pasted into an open app opens it', async () => {
  const { page } = await authorWithFixture();
  const link = await makeLink(page);
  const { page: reader } = await app.open('#/overview');
  await reader.evaluate((hash) => { location.hash = hash; }, link.slice(link.indexOf('#')));
  await reader.waitForSelector('[data-testid="shared-preview"] h2');
  assert.match(await reader.locator('[data-testid="shared-score"]').innerText(), /Score 7 \/ 15/);
});
