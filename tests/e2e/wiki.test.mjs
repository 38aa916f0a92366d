// The test wiki (wiki.mjs): a real MediaWiki on 127.0.0.1 with the six wikitech
// fixture pages under their real titles. Checks what irdoc's wiki features rely
// on: api.php reads (also cross-origin, origin=*), logging in, the edit form,
// short URLs. Needs php and MediaWiki (scripts/setup.sh); IRDOC_SKIP_WIKI=1 skips.
import { describe, test, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, openPage, startServer } from './harness.mjs';
import { fixturePages, logIn, startWiki, templatePages, wikiSkipReason } from './wiki.mjs';

/**
 * What MediaWiki stores for a saved text: its pre-save transform ends with rtrim(),
 * so trailing spaces, tabs and newlines (PHP's " \t\n\r\0\x0B", not U+00A0) go;
 * CRLF and CR become LF. Nothing else changes for these pages (no ~~~~, subst: or
 * [[a|]] pipe tricks in them).
 */
const stored = (text) => text.replace(/\r\n?/g, '\n').replace(/[ \t\n\r\0\x0B]+$/, '');

// IRDOC_SKIP_WIKI=1 skips each test, with the reason. Without it, a wiki that cannot
// start (php or MediaWiki missing) fails every test with the advice of WikiUnavailable.
const skip = wikiSkipReason() ?? false;
const wikiTest = (name, fn) => test(name, { skip }, fn);

describe('test wiki', () => {
  let wiki;
  let fixtures;
  let browser;
  let startError = null;
  before(async () => {
    if (skip) return;
    fixtures = await fixturePages();
    assert.equal(fixtures.length, 6, 'SOURCES.md lists six pages');
    try {
      wiki = await startWiki({ pages: fixtures });
    } catch (err) {
      startError = err;
      return;
    }
    const t = wiki.timings;
    console.log(
      `test wiki: MediaWiki ${wiki.version} at ${wiki.base}: pristine ${t.pristine.toFixed(1)}s, ` +
        `start ${t.start.toFixed(1)}s, seed ${t.seed.toFixed(1)}s`,
    );
    browser = await launchBrowser();
  });
  beforeEach(() => {
    if (startError) throw startError;
  });
  after(async () => {
    await browser?.close().catch(() => {});
    await wiki?.stop();
  });

  /** The read irdoc makes: the page's current wikitext, revision id and timestamp. */
  const apiUrl = (title, { origin = '*' } = {}) => {
    const url = new URL(wiki.api);
    const params = {
      action: 'query', prop: 'revisions', rvprop: 'content|ids|timestamp', rvslots: 'main',
      formatversion: '2', format: 'json', origin, curtimestamp: '1', titles: title,
    };
    for (const [k, v] of Object.entries(params)) if (v !== null) url.searchParams.set(k, v);
    return url.href;
  };

  wikiTest('api.php returns each fixture page byte for byte', async () => {
    for (const f of fixtures) {
      const res = await fetch(apiUrl(f.title));
      assert.equal(res.status, 200, f.title);
      assert.equal(res.headers.get('access-control-allow-origin'), '*', 'origin=* answers with CORS');
      const json = await res.json();
      assert.match(json.curtimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const [page] = json.query.pages;
      assert.equal(page.title, f.title);
      const [rev] = page.revisions;
      assert.equal(rev.slots.main.contentmodel, 'wikitext');
      // The fixtures end without whitespace, so MediaWiki stores them unchanged.
      assert.equal(stored(f.text), f.text, `${f.name} has no trailing whitespace`);
      assert.equal(rev.slots.main.content, f.text, f.title);
      assert.ok(rev.revid > 0 && rev.timestamp, f.title);
      assert.deepEqual(await wiki.read(f.title), {
        content: f.text,
        revid: rev.revid,
        timestamp: rev.timestamp,
      });
    }
  });

  wikiTest('MediaWiki trims trailing whitespace on save, and only that', async () => {
    const text = '  leading spaces stay\nline with trailing spaces   \n\u00a0nbsp\r\nend \t\n\n  \n';
    const saved = await wiki.edit('Irdoc sandbox/Trailing whitespace', text);
    assert.ok(saved.changed && saved.revid > 0);
    const { content, revid } = await wiki.read('Irdoc sandbox/Trailing whitespace');
    assert.equal(revid, saved.revid);
    assert.equal(content, '  leading spaces stay\nline with trailing spaces   \n\u00a0nbsp\nend');
    assert.equal(content, stored(text));
    // Saving the same text again is a null edit: no new revision.
    const again = await wiki.edit('Irdoc sandbox/Trailing whitespace', content + '\n');
    assert.equal(again.changed, false);
    assert.equal(again.revid, saved.revid);
    assert.equal(await wiki.read('Irdoc sandbox/No such page'), null);
  });

  wikiTest('a page on another loopback origin reads api.php under CORS (origin=*)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'irdoc-cors-'));
    await writeFile(join(root, 'index.html'), '<!doctype html><link rel="icon" href="data:,"><title>other origin</title><p>other origin</p>');
    const server = await startServer({ root });
    const { page, context, errors } = await openPage(browser);
    try {
      await page.goto(server.url);
      const f = fixtures[0];
      const answer = await page.evaluate(async (url) => {
        const res = await fetch(url);
        return { status: res.status, type: res.type, json: await res.json() };
      }, apiUrl(f.title));
      assert.notEqual(new URL(server.url).origin, wiki.base, 'two origins');
      assert.equal(answer.status, 200);
      assert.equal(answer.type, 'cors', 'a CORS response (its headers were checked in the first test)');
      assert.equal(answer.json.query.pages[0].revisions[0].slots.main.content, f.text);
      // Without origin=*, the browser refuses to hand the answer to the page.
      const refused = await page.evaluate(async (url) => {
        try {
          await fetch(url);
          return 'read';
        } catch (e) {
          return e.name;
        }
      }, apiUrl(f.title, { origin: null }));
      assert.equal(refused, 'TypeError');
      assert.deepEqual(errors.filter((e) => !/CORS|Failed to fetch|ERR_FAILED/.test(e)), []);
    } finally {
      await context.close();
      await server.close();
      await rm(root, { recursive: true, force: true });
    }
  });

  wikiTest('the test user logs in through Special:UserLogin and gets the edit form', async () => {
    const { page, context } = await openPage(browser);
    try {
      await logIn(page, wiki);
      const f = fixtures[1];
      await page.goto(`${wiki.index}?title=${encodeURIComponent(f.title)}&action=edit`);
      const box = page.locator('#wpTextbox1');
      await box.waitFor();
      assert.equal(await box.inputValue(), f.text + '\n', 'the edit form shows the text (plus the newline MediaWiki appends to the textarea)');
      assert.equal(await page.evaluate(() => mw.config.get('wgUserName')), wiki.user);
      assert.ok(await page.locator('input[name="wpEditToken"]').count(), 'an edit token');
      assert.ok(await page.locator('#wpSave').count(), 'a save button');
    } finally {
      await context.close();
    }
  });

  wikiTest('/wiki/Incidents/... short URLs render the pages', async () => {
    const { page, context, errors } = await openPage(browser);
    const elsewhere = [];
    page.on('request', (req) => {
      const { protocol, hostname } = new URL(req.url());
      if (protocol !== 'data:' && hostname !== '127.0.0.1') elsewhere.push(req.url());
    });
    try {
      for (const f of fixtures) {
        const res = await page.goto(wiki.articleUrl(f.title));
        assert.equal(res.status(), 200, f.title);
        assert.match(page.url(), /\/wiki\/Incidents\/\d{4}-\d\d-\d\d_/);
        assert.equal((await page.locator('#firstHeading').innerText()).trim(), f.title);
        const content = page.locator('#mw-content-text .mw-parser-output');
        assert.match(await content.innerText(), /document status: (final|draft|review)/i, 'Template:Irdoc stand-in');
        if (f.text.includes('{{Incident scorecard')) {
          assert.match(await content.locator('table.irdoc-scorecard').innerText(), /Incident ID\s+\d{4}-\d\d-\d\d /);
        }
        assert.equal(await page.locator('.mw-parser-output a.new[href*="Template:"]').count(), 0, 'no missing templates');
        assert.equal(await page.locator('#siteSub').innerText(), 'From Wikitech', 'the tagline shows, as on wikitech');
      }
      assert.deepEqual(errors, []);
      assert.deepEqual(elsewhere, [], 'the rendered pages load nothing from outside 127.0.0.1');
      // A missing page is a 404 with the wiki's "no text" message, not a PHP error.
      const res = await page.goto(wiki.articleUrl('Incidents/No such incident'));
      assert.equal(res.status(), 404);
      assert.match(await page.locator('#mw-content-text').innerText(), /There is currently no text in this page/);
    } finally {
      await context.close();
    }
  });

  wikiTest('a page shows its templates as they are now (no stale parser output)', async () => {
    await wiki.edit('Template:Irdoc sandbox', 'first version');
    await wiki.edit('Irdoc sandbox/Uses a template', 'The template says: {{Irdoc sandbox}}.');
    const html = async () => (await (await fetch(wiki.articleUrl('Irdoc sandbox/Uses a template'))).text());
    assert.match(await html(), /The template says: first version\./);
    await wiki.edit('Template:Irdoc sandbox', 'second version');
    assert.match(await html(), /The template says: second version\./);
  });

  wikiTest('two wikis at once do not share anything', async () => {
    const title = fixtures[0].title;
    const other = await startWiki({ pages: [{ title, text: 'another wiki, another text' }] });
    try {
      assert.notEqual(other.base, wiki.base);
      assert.notEqual(other.dir, wiki.dir);
      assert.equal((await other.read(title)).content, 'another wiki, another text');
      assert.equal((await wiki.read(title)).content, fixtures[0].text);
    } finally {
      await other.stop();
    }
    assert.equal(existsSync(other.dir), false, 'stop() removes the directory');
    await assert.rejects(fetch(other.api), 'stop() ends php');
    assert.equal((await wiki.read(title)).content, fixtures[0].text, 'the first wiki goes on');
  });

  wikiTest('every template the fixtures use has a stand-in', async () => {
    const have = new Set((await templatePages()).map((p) => p.title.slice('Template:'.length).toLowerCase()));
    const used = new Set();
    for (const f of fixtures) {
      for (const m of f.text.matchAll(/\{\{\s*([^|{}#:]+?)\s*(\||\}\})/g)) used.add(m[1].toLowerCase());
    }
    assert.deepEqual([...used].filter((t) => !have.has(t)), []);
  });
});
