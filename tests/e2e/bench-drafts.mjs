// Browser benchmark of drafts (issue 5) and start-up (issue 4), with a 1,000-entry report:
// - an autosave takes under 5 ms of main thread at the median;
// - autosave never runs more than once per 300 ms while typing;
// - opening the app with that report stored is interactive in under 1 s.
//
//   node tests/e2e/bench-drafts.mjs            (needs a release build in dist/)
//
// Nothing in the app is instrumented: the page's timer callbacks and storage writes are
// timed from outside, by wrapping setTimeout and Storage.setItem before the app loads.
import { importDocument, openPage, startApp, waitForApp } from './harness.mjs';
import { largePage, median } from './bench-editor.mjs';

const TYPING_MS = 3000;

const app = await startApp();
let failed = false;
try {
  const { page, context, errors } = await openPage(app.browser);
  await context.addInitScript(() => {
    window.__saves = [];
    window.__timers = [];
    const set = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key, value) {
      if (key.startsWith('irdoc:draft:')) window.__saves.push(performance.now());
      return set.call(this, key, value);
    };
    const setTimeout = window.setTimeout;
    window.setTimeout = (fn, delay, ...args) =>
      setTimeout(() => {
        const t0 = performance.now();
        fn(...args);
        if (delay === 300) window.__timers.push(performance.now() - t0);
      }, delay);
  });
  await page.goto(app.url + '#/drafts');
  await waitForApp(page);
  await importDocument(page, largePage(1000));
  await page.click('[data-testid="step-link-overview"]');
  await page.fill('#title', 'Incidents/2026-11-20 Large');
  await page.waitForFunction(() => window.__saves.length > 0);
  await page.click('[data-testid="step-link-overview"]');

  // Type for a few seconds, one key every 30 ms, and watch the saves.
  await page.evaluate(() => { window.__saves = []; window.__timers = []; });
  const input = page.locator('#meta-impact');
  await input.focus();
  const until = Date.now() + TYPING_MS;
  while (Date.now() < until) await page.keyboard.type('x', { delay: 30 });
  await page.waitForTimeout(600);
  const { saves, timers } = await page.evaluate(() => ({ saves: window.__saves, timers: window.__timers }));
  const gaps = saves.slice(1).map((t, i) => t - saves[i]);
  const minGap = Math.min(...gaps);
  const saveMedian = median(timers);
  console.log(`autosave of a 1000-entry report: median ${saveMedian.toFixed(2)} ms of main thread over ${timers.length} saves (budget 5 ms)`);
  console.log(`saves while typing for ${TYPING_MS / 1000} s: ${saves.length}, shortest gap ${minGap.toFixed(0)} ms (budget: at least 300 ms)`);
  if (saveMedian >= 5 || minGap < 300) failed = true;

  // Open the app again with that report stored: time until its title is in the form.
  const opens = [];
  for (let i = 0; i < 5; i++) {
    await page.reload();
    await page.waitForFunction(() => document.querySelector('#title')?.value === 'Incidents/2026-11-20 Large');
    opens.push(await page.evaluate(() => performance.now()));
  }
  const openMedian = median(opens);
  console.log(`opening the app with the 1000-entry draft stored: median ${openMedian.toFixed(0)} ms to interactive (budget 1000 ms)`);
  if (openMedian >= 1000) failed = true;
  if (errors.length) throw new Error(errors.join('\n'));
} finally {
  await app.close();
}
process.exitCode = failed ? 1 : 0;
