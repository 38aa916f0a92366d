// The Export step's preview against MediaWiki itself: every fixture page is parsed
// by the test wiki (api.php action=parse) and by irdoc's preview, and both are reduced
// to the same outline (headings, paragraphs, lists and items, tables, rows, cells, pre
// blocks and their visible text). The reducer and the comparison are Rust
// (crates/core/tests/fidelity.rs, so `cargo test` catches regressions against the
// checked-in copies of MediaWiki's output without php); this test feeds it the live
// wiki's HTML and checks that the checked-in copies are still what the wiki renders.
//
//   IRDOC_WRITE_PARSED=1 node --test fidelity.test.mjs   # refresh the checked-in copies
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, fixturePages, startWiki, wikiSkipReason } from './wiki.mjs';

const PARSED_DIR = join(ROOT, 'crates', 'core', 'tests', 'data', 'parsed');
const skip = wikiSkipReason() ?? false;

describe('preview fidelity', () => {
  let wiki;
  let fixtures;
  let dir;
  before(async () => {
    if (skip) return;
    fixtures = await fixturePages();
    wiki = await startWiki({ pages: fixtures });
    dir = await mkdtemp(join(tmpdir(), 'irdoc-parsed-'));
  });
  after(async () => {
    await wiki?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** MediaWiki's HTML of a page's body, without the parts that are not the page's text. */
  const parse = async (title) => {
    const url = new URL(wiki.api);
    const params = {
      action: 'parse',
      page: title,
      prop: 'text',
      disableeditsection: '1',
      disabletoc: '1',
      disablelimitreport: '1',
      format: 'json',
      formatversion: '2',
    };
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const res = await fetch(url);
    assert.equal(res.status, 200, `${title}: api.php answered ${res.status}`);
    return (await res.json()).parse.text;
  };

  test('every fixture page has the block structure and text MediaWiki gives it', { skip }, async () => {
    const stale = [];
    for (const f of fixtures) {
      const html = await parse(f.title);
      await writeFile(join(dir, `${f.name}.html`), html);
      const file = join(PARSED_DIR, `${f.name}.html`);
      if (process.env.IRDOC_WRITE_PARSED === '1') await writeFile(file, html);
      else if ((await readFile(file, 'utf8').catch(() => null)) !== html) stale.push(f.name);
    }
    // The same Rust test `cargo test` runs, on the live wiki's HTML.
    const run = promisify(execFile);
    const env = { ...process.env, IRDOC_PARSED_DIR: dir };
    const args = ['test', '-q', '-p', 'irdoc-core', '--test', 'fidelity'];
    const result = await run('cargo', args, { cwd: ROOT, env, maxBuffer: 1 << 26 }).catch((e) => e);
    assert.ok(!result.code, `the preview differs from MediaWiki:\n${result.stdout}\n${result.stderr}`);
    assert.deepEqual(
      stale,
      [],
      `crates/core/tests/data/parsed/ is not what the wiki renders for these pages; refresh with IRDOC_WRITE_PARSED=1`,
    );
  });
});
