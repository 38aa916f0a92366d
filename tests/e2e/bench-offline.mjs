// Browser benchmark of start-up offline (issue 15): with a 1,000-entry draft stored, a reload
// with no network is interactive in under 300 ms at the median. Also reported: the same
// reload online with the service worker, and online with no worker at all (as before it).
//
//   node tests/e2e/bench-offline.mjs            (needs a release build in dist/)
//
// "Interactive" is as in bench-drafts.mjs: the page's clock (performance.now(), from the
// start of the navigation) when the draft's title is in the form.
import { openPage, startApp, waitForApp } from './harness.mjs';
import { largePage, median } from './bench-editor.mjs';

const RELOADS = 7;
const TITLE = 'Incidents/2026-11-20 Large';

/** A page with the 1,000-entry draft stored (and, unless `block`, controlled by the worker). */
async function withDraft(app, { block = false } = {}) {
  const opened = await openPage(app.browser);
  if (block) {
    await opened.context.close();
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
    const page = await context.newPage();
    Object.assign(opened, { context, page });
  }
  const { page } = opened;
  await page.goto(app.url + '#/export');
  await waitForApp(page);
  await page.fill('[data-testid="import-text"]', largePage(1000));
  await page.click('[data-testid="import-paste"]');
  await page.click('[data-testid="step-link-overview"]');
  await page.fill('#title', TITLE);
  await page.waitForFunction(() => /^Saved/.test(document.querySelector('[data-testid="save-status"]')?.textContent ?? ''));
  if (!block) await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated');
  return opened;
}

/** The median time to interactive over a few reloads. */
async function reloads(page) {
  const times = [];
  for (let i = 0; i < RELOADS; i++) {
    await page.reload();
    await page.waitForFunction((title) => document.querySelector('#title')?.value === title, TITLE);
    times.push(await page.evaluate(() => performance.now()));
  }
  return median(times);
}

const app = await startApp();
let failed = false;
try {
  const plain = await withDraft(app, { block: true });
  const noWorker = await reloads(plain.page);
  await plain.context.close();

  const { page, context, errors } = await withDraft(app);
  const online = await reloads(page);
  await context.setOffline(true);
  const offline = await reloads(page);
  const controlled = await page.evaluate(() => Boolean(navigator.serviceWorker.controller));
  await context.setOffline(false);

  console.log(`reload with the 1000-entry draft stored, median of ${RELOADS}, to interactive:`);
  console.log(`  online, no service worker:   ${noWorker.toFixed(0)} ms`);
  console.log(`  online, with the worker:     ${online.toFixed(0)} ms`);
  console.log(`  offline, with the worker:    ${offline.toFixed(0)} ms (budget 300 ms)`);
  if (!controlled) throw new Error('the offline page was not controlled by the worker');
  if (offline >= 300) failed = true;
  if (errors.length) throw new Error(errors.join('\n'));
} finally {
  await app.close();
}
process.exitCode = failed ? 1 : 0;
