// The wiki round trip against a real MediaWiki (wiki.mjs) on another loopback origin:
// opening pages by title and by address, browsing incident pages, publishing through the
// wiki's own edit form (diff, save, conflict, new page), checking for changes, and every
// failure with its message and the drafts unchanged. IRDOC_SKIP_WIKI=1 skips.
import { describe, test, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import { goToStep, openPage, startApp, waitForApp, waitForSave } from './harness.mjs';
import { fixturePages, logIn, startWiki, wikiSkipReason } from './wiki.mjs';

const skip = wikiSkipReason() ?? false;
const wikiTest = (name, fn) => test(name, { skip }, fn);

describe('wiki round trip', () => {
  let wiki;
  let app;
  let fixtures;
  let startError = null;
  before(async () => {
    if (skip) return;
    fixtures = await fixturePages();
    try {
      wiki = await startWiki({ pages: fixtures });
    } catch (err) {
      startError = err;
      return;
    }
    app = await startApp();
  });
  beforeEach(() => {
    if (startError) throw startError;
  });
  after(async () => {
    await app?.close();
    await wiki?.stop();
  });

  /** The app in a fresh browser context, with the test wiki chosen (unless `wikiBase` is null). */
  async function openApp(hash = '#/drafts', { wikiBase = wiki.base } = {}) {
    const opened = await openPage(app.browser);
    const appOrigin = new URL(app.url).origin;
    if (wikiBase) {
      await opened.context.addInitScript(
        ([origin, base]) => {
          if (location.origin === origin && !sessionStorage.getItem('irdoc-test-seeded')) {
            localStorage.setItem('irdoc:wiki', base);
            sessionStorage.setItem('irdoc-test-seeded', '1');
          }
        },
        [appOrigin, wikiBase],
      );
    }
    await opened.page.goto(app.url + hash);
    await waitForApp(opened.page);
    return opened;
  }

  const library = async (page) => {
    await page.evaluate(() => (location.hash = '#/drafts'));
    await page.waitForSelector('[data-testid="wiki-open"]');
  };

  /** Opens `input` (a title or an address) from the wiki; resolves when the draft is shown. */
  async function openFromWiki(page, input) {
    await library(page);
    await page.fill('[data-testid="wiki-title"]', input);
    await page.click('[data-testid="wiki-open-page"]');
    await page.waitForSelector('[data-testid="panel-overview"]');
  }

  const exported = async (page) => {
    await goToStep(page, 'export');
    return page.locator('[data-testid="wikitext"]').inputValue();
  };

  /** The stored drafts, as JSON, in the app's localStorage. */
  const storedDrafts = (page) =>
    page.evaluate(() =>
      Object.keys(localStorage)
        .filter((k) => k.startsWith('irdoc:draft:'))
        .sort()
        .map((k) => localStorage.getItem(k)),
    );

  const fixture = (name) => fixtures.find((f) => f.name.includes(name));

  wikiTest('each fixture opens by title and by address, byte for byte, and remembers its revision', async () => {
    const { page, errors } = await openApp();
    for (const f of fixtures) {
      const { revid, timestamp } = await wiki.read(f.title);
      const forms = [
        f.title,
        f.title.replace(/ /g, '_'),
        wiki.articleUrl(f.title),
        `${wiki.index}?title=${encodeURIComponent(f.title)}&action=history`,
      ];
      for (const input of forms) {
        await openFromWiki(page, input);
        assert.equal(await page.inputValue('#title'), f.title, input);
        assert.equal(await exported(page), f.text, `${f.title} opened as ${input}`);
      }
      await waitForSave(page);
      const id = await page.evaluate(() => localStorage.getItem('irdoc:last'));
      const draft = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), `irdoc:draft:${id}`));
      assert.equal(draft.report.schema, 3);
      assert.deepEqual(draft.report.wiki, { wiki: wiki.base, title: f.title, revid, timestamp });
    }
    // ?oldid=N opens that revision.
    const f = fixture('sessionstore');
    const { revid } = await wiki.read(f.title);
    await openFromWiki(page, `${wiki.index}?oldid=${revid}`);
    assert.equal(await exported(page), f.text);
    // The library links each draft to its page.
    await library(page);
    const link = page.locator('[data-testid="draft"]').first().locator('[data-testid="wiki-page-link"]');
    assert.equal(await link.innerText(), f.title);
    assert.equal(await link.getAttribute('href'), wiki.articleUrl(f.title));
    // A share link carries it: the reader's view links the page too.
    await page.locator('[data-testid="draft"]').first().locator('[data-testid="open-draft"]').click();
    await goToStep(page, 'export');
    await page.click('[data-testid="share-make"]');
    const shared = await page.locator('[data-testid="share-link"]').inputValue();
    const reader = await openPage(app.browser);
    await reader.page.goto(shared);
    await reader.page.waitForSelector('[data-testid="shared-title"]');
    const readerLink = reader.page.locator('[data-testid="wiki-page-link"]');
    assert.equal(await readerLink.innerText(), f.title);
    assert.equal(await readerLink.getAttribute('href'), wiki.articleUrl(f.title));
    await reader.context.close();
    assert.deepEqual(errors, []);
    assert.deepEqual(reader.errors, []);
  });

  wikiTest('the wiki is chosen in the library and remembered; only https or loopback http', async () => {
    const { page, errors } = await openApp('#/drafts', { wikiBase: null });
    assert.equal(await page.inputValue('[data-testid="wiki-base"]'), 'https://wikitech.wikimedia.org');
    await page.fill('[data-testid="wiki-base"]', 'http://wiki.example.org');
    await page.click('[data-testid="wiki-save"]');
    assert.match(
      await page.innerText('[data-testid="wiki-open-message"]'),
      /is not a wiki address irdoc can use: it must use https \(plain http only for 127\.0\.0\.1 and localhost\)/,
    );
    assert.equal(await page.evaluate(() => localStorage.getItem('irdoc:wiki')), null, 'not kept');
    await page.fill('[data-testid="wiki-base"]', `${wiki.base}/wiki/Main_Page`);
    await page.click('[data-testid="wiki-save"]');
    assert.equal(await page.inputValue('[data-testid="wiki-base"]'), wiki.base);
    await page.reload();
    await waitForApp(page);
    assert.equal(await page.inputValue('[data-testid="wiki-base"]'), wiki.base, 'remembered');
    assert.equal(await page.evaluate(() => localStorage.getItem('irdoc:wiki')), wiki.base);
    // The list of incident pages, newest first, filtered by words.
    await page.click('[data-testid="wiki-browse"]');
    const items = page.locator('[data-testid="wiki-list-item"] a');
    await items.first().waitFor();
    const sorted = fixtures.map((x) => x.title).sort().reverse();
    assert.deepEqual(await items.allInnerTexts(), sorted);
    await page.fill('[data-testid="wiki-search"]', 'wmcs 2025');
    assert.deepEqual(await items.allInnerTexts(), [fixture('toolsdb').title]);
    await page.fill('[data-testid="wiki-search"]', 'no such words');
    await page.waitForSelector('[data-testid="wiki-list-empty"]');
    await page.fill('[data-testid="wiki-search"]', 'gerrit');
    await page.click('[data-testid="wiki-list-open"]');
    await page.waitForSelector('[data-testid="panel-overview"]');
    assert.equal(await exported(page), fixture('Gerrit').text);
    assert.deepEqual(errors, []);
  });

  wikiTest('every failure says what went wrong and changes nothing', async () => {
    await wiki.edit('Incidents/2025-03-31 old name', `#REDIRECT [[${fixture('sessionstore').title}]]`);
    await wiki.edit('MediaWiki:Irdoc-test.css', '.irdoc { color: red; }');
    const { page, errors } = await openApp();
    await openFromWiki(page, fixture('toolsdb').title);
    await goToStep(page, 'summary');
    await page.fill('#summary', 'My own summary, typed here.');
    await waitForSave(page);
    const before = await exported(page);
    const drafts = await storedDrafts(page);
    const fails = async (input, message) => {
      await library(page);
      await page.fill('[data-testid="wiki-title"]', input);
      await page.click('[data-testid="wiki-open-page"]');
      const shown = page.locator('[data-testid="wiki-open-message"]');
      await shown.waitFor();
      const text = await shown.innerText();
      assert.match(text, message, input);
      assert.match(text, /^Nothing was opened: /);
      assert.deepEqual(await storedDrafts(page), drafts, `${input}: the drafts are unchanged`);
      assert.equal(await exported(page), before, `${input}: the open draft is unchanged`);
      return text;
    };
    await fails('Incidents/2099-01-01 no such incident', /the wiki has no page “Incidents\/2099-01-01 no such incident” \(check the title\)/);
    await fails(wiki.articleUrl('Incidents/2025-03-31 old name'), /“Incidents\/2025-03-31 old name” is a redirect to “Incidents\/2025-03-31 sessionstore unavailability”: open “Incidents\/2025-03-31 sessionstore unavailability” instead/);
    await fails('MediaWiki:Irdoc-test.css', /“MediaWiki:Irdoc-test\.css” is not a wikitext page \(its content model is css\)/);
    // An error object from api.php itself: a revision id beyond what PHP's integers hold.
    await fails(`${wiki.index}?oldid=18446744073709551615`, /the wiki refused the request: Invalid value "18446744073709551615" for integer parameter "revids"\. \(badinteger\)/);
    await fails(`${wiki.index}?oldid=9223372036854775807`, /the wiki has no revision 9223372036854775807/);
    await fails(`${wiki.index}?oldid=99999999999999999999`, /is not the address of a page/);
    await fails(`${wiki.api}?action=query`, /is not the address of a page \(expected …\/wiki\/Title, …\/w\/index\.php\?title=Title or …\?oldid=N\)/);
    await fails('https://en.wikipedia.org/wiki/Incidents/X', /is on another site than the wiki irdoc works with/);
    await fails('Incidents/a [b]', /is not a page title: titles cannot contain “\[”/);
    // The wiki is down: another wiki on a port where nothing listens.
    await page.evaluate(() => localStorage.setItem('irdoc:wiki', 'http://127.0.0.1:9'));
    await page.reload();
    await waitForApp(page);
    await fails(
      'Incidents/Anything',
      /the wiki at http:\/\/127\.0\.0\.1:9 could not be reached: it may be down, the address may be wrong, or it does not let other sites read it \(CORS\)/,
    );
    // Publishing checks first, and says so too.
    await goToStep(page, 'export');
    assert.match(await page.innerText('[data-testid="wiki-check-message"]'), /The wiki could not be checked: the wiki at http:\/\/127\.0\.0\.1:9 could not be reached/);
    assert.equal(await page.innerText('[data-testid="publish"]'), 'Publish anyway');
    assert.deepEqual(
      errors.filter((e) => !/127\.0\.0\.1:9\/|ERR_CONNECTION_REFUSED|Failed to load resource/.test(e)),
      [],
    );
  });

  wikiTest('publish: the edit form shows the diff with the export; saved, the wiki has it byte for byte', async () => {
    const f = fixture('s4');
    const { page, context, errors } = await openApp();
    await openFromWiki(page, f.title);
    await goToStep(page, 'detection');
    const detection = await page.inputValue('#detection');
    await page.fill('#detection', `${detection}\nAlso seen on the dashboards, added in irdoc.`);
    const text = await exported(page);
    assert.notEqual(text, f.text);
    await page.waitForSelector('[data-testid="wiki-current"]');
    assert.match(await page.innerText('[data-testid="wiki-publish"]'), /Log in to the wiki in this browser first/);
    assert.equal(await page.inputValue('[data-testid="publish-summary"]'), 'Updated with irdoc');
    await page.fill('[data-testid="publish-summary"]', 'Detection: the dashboards');
    // A real author is logged in to the wiki in this browser.
    const login = await context.newPage();
    await logIn(login, wiki);
    await login.close();
    const [tab] = await Promise.all([context.waitForEvent('page'), page.click('[data-testid="publish"]')]);
    await tab.waitForLoadState();
    assert.match(tab.url(), /\/w\/index\.php\?title=Incidents%2F2024-07-21.*&action=submit$/);
    assert.equal(await tab.locator('#wpTextbox1').inputValue(), `${text}\n`, 'the export, plus the newline MediaWiki adds');
    assert.equal(await tab.locator('#wpSummary').inputValue(), 'Detection: the dashboards');
    const diff = tab.locator('table.diff');
    assert.match(await diff.innerText(), /Also seen on the dashboards, added in irdoc\./);
    assert.match(await page.innerText('[data-testid="publish-message"]'), /The wiki's editor opened in a new tab/);
    await Promise.all([tab.waitForURL((u) => !u.search.includes('action=submit')), tab.click('#wpSave')]);
    const saved = await wiki.read(f.title);
    assert.equal(saved.content, text, 'the wiki has the export byte for byte');
    // Refresh from the wiki: the draft is now based on the saved revision.
    await page.click('[data-testid="wiki-check"]');
    assert.equal(
      await page.innerText('[data-testid="wiki-current"]'),
      `The wiki's revision ${saved.revid} has your text: the draft is now based on it.`,
    );
    await waitForSave(page);
    const id = await page.evaluate(() => localStorage.getItem('irdoc:last'));
    const draft = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), `irdoc:draft:${id}`));
    assert.equal(draft.report.wiki.revid, saved.revid);
    await page.click('[data-testid="wiki-check"]');
    assert.match(await page.innerText('[data-testid="wiki-current"]'), new RegExp(`Up to date: the wiki's latest revision is ${saved.revid}`));
    assert.deepEqual(errors, []);
  });

  wikiTest('an edit on the wiki in between is shown before publishing, and MediaWiki reports the conflict', async () => {
    const f = fixture('Varnish');
    const { page, context, errors } = await openApp();
    await openFromWiki(page, f.title);
    const { revid: base } = await wiki.read(f.title);
    // The author rewrites the summary's opening...
    await goToStep(page, 'summary');
    const summary = await page.inputValue('#summary');
    const first = summary.split('\n')[0];
    await page.fill('#summary', summary.replace(first, 'The author’s new opening line.'));
    const text = await exported(page);
    // ...and someone else rewrote the same line on the wiki meanwhile.
    const theirs = f.text.replace(first, 'Someone else’s opening line.');
    assert.notEqual(theirs, f.text);
    const edited = await wiki.edit(f.title, theirs);
    assert.ok(edited.revid > base);
    await goToStep(page, 'export');
    await page.click('[data-testid="wiki-check"]');
    const change = page.locator('[data-testid="wiki-change"][data-section="Summary"]');
    await change.waitFor();
    assert.match(await page.innerText('[data-testid="wiki-changed"]'), new RegExp(`since your draft's base: revision ${edited.revid}`));
    assert.match(await change.locator('ins').innerText(), /Someone else’s opening line\./);
    assert.equal(await page.innerText('[data-testid="publish"]'), 'Publish anyway');
    // Stop: nothing changes; publishing anyway goes to the wiki with the old base.
    await page.click('[data-testid="wiki-stop"]');
    await page.waitForSelector('[data-testid="wiki-behind"]');
    assert.equal(await exported(page), text);
    const login = await context.newPage();
    await logIn(login, wiki);
    await login.close();
    const [tab] = await Promise.all([context.waitForEvent('page'), page.click('[data-testid="publish"]')]);
    await tab.waitForLoadState();
    assert.equal(await tab.locator('input[name="editRevId"]').inputValue(), String(base));
    await Promise.all([tab.waitForLoadState('load'), tab.click('#wpSave')]);
    await tab.waitForSelector('#wpTextbox2');
    assert.match(await tab.locator('#firstHeading').innerText(), /Edit conflict/);
    assert.equal((await wiki.read(f.title)).content, theirs, 'nothing was saved over their edit');
    await tab.close();
    // Taking the wiki's summary, the draft is based on their revision and saves cleanly.
    await page.click('[data-testid="wiki-check"]');
    await change.waitFor();
    await change.locator('[data-testid="take-wiki"]').check();
    await page.click('[data-testid="wiki-rebase"]');
    assert.match(await page.innerText('[data-testid="wiki-current"]'), new RegExp(`based on the wiki's revision ${edited.revid}, with the wiki's Summary`));
    const merged = await exported(page);
    assert.equal(merged, theirs, 'their summary, and the rest (unchanged) of the page');
    assert.deepEqual(errors, []);
  });

  wikiTest('a new page: publishing opens the create form with the preview', async () => {
    const { page, context, errors } = await openApp('#/drafts');
    await page.click('[data-testid="new-full"]');
    await page.waitForSelector('[data-testid="panel-overview"]');
    const title = 'Incidents/2026-11-20 Brand new report';
    await page.fill('#title', title);
    await goToStep(page, 'summary');
    await page.fill('#summary', 'A report written in irdoc, published as a new page.');
    const text = await exported(page);
    // Opening the step sent nothing to the wiki: the draft never came from it.
    await page.waitForSelector('[data-testid="wiki-not-checked"]');
    assert.equal(await page.innerText('[data-testid="publish"]'), 'Check the wiki, then publish');
    await page.click('[data-testid="publish"]');
    await page.waitForSelector('[data-testid="wiki-new-page"]');
    assert.equal(await page.innerText('[data-testid="publish"]'), 'Publish to the wiki');
    assert.equal(await page.inputValue('[data-testid="publish-summary"]'), 'New incident report (written with irdoc)');
    const login = await context.newPage();
    await logIn(login, wiki);
    await login.close();
    const [tab] = await Promise.all([context.waitForEvent('page'), page.click('[data-testid="publish"]')]);
    await tab.waitForLoadState();
    assert.match(await tab.locator('#firstHeading').innerText(), /Creating Incidents\/2026-11-20 Brand new report/);
    await tab.locator('#wikiPreview').waitFor();
    assert.match(await tab.locator('#wikiPreview').innerText(), /A report written in irdoc, published as a new page\./);
    assert.equal(await tab.locator('#wpTextbox1').inputValue(), `${text.trimEnd()}\n`);
    assert.equal(await tab.locator('input[name="editRevId"]').inputValue(), '0');
    await Promise.all([tab.waitForURL((u) => !u.search.includes('action=submit')), tab.click('#wpSave')]);
    const saved = await wiki.read(title);
    assert.equal(saved.content, text.trimEnd(), 'MediaWiki trims the trailing newline, nothing else');
    await page.click('[data-testid="wiki-check"]');
    await page.waitForSelector('[data-testid="wiki-current"]');
    assert.match(await page.innerText('[data-testid="publish-target"]'), new RegExp(`based on revision ${saved.revid}`));
    assert.deepEqual(errors, []);
  });
});
