// The app shell: loading, step navigation by mouse and keyboard, the URL hash.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, STEPS } from './harness.mjs';

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

const link = (slug) => `[data-testid="step-link-${slug}"]`;

/** The visible state of the shell: hash, heading, current step link(s). */
async function shellState(page) {
  return page.evaluate(() => ({
    hash: location.hash,
    heading: document.querySelector('[data-testid="step-heading"]')?.textContent.trim(),
    current: [...document.querySelectorAll('[aria-current="step"]')].map((el) => el.dataset.step),
    title: document.title,
  }));
}

async function expectStep(page, { slug, label }) {
  await page.waitForFunction(
    (text) => document.querySelector('[data-testid="step-heading"]')?.textContent.trim() === text,
    label,
  );
  const state = await shellState(page);
  assert.equal(state.heading, label);
  assert.deepEqual(state.current, [slug], 'exactly the shown step is marked aria-current="step"');
  assert.equal(await page.locator(`[data-testid="panel-${slug}"]`).count(), 1);
  assert.match(state.title, new RegExp(`^${label}\\b`));
  return state;
}

test('the app loads with no console errors', async () => {
  const { page, errors } = await app.open();
  assert.equal((await page.textContent('[data-testid="product-name"]')).trim(), 'irdoc');

  const nav = page.locator('nav[aria-label="Report steps"]');
  assert.equal(await nav.count(), 1);
  const links = await nav.locator('a[data-step]').evaluateAll((els) =>
    els.map((el) => ({ slug: el.dataset.step, label: el.querySelector('.step-label').textContent.trim() })),
  );
  assert.deepEqual(links, STEPS, 'every step, in order');

  await expectStep(page, STEPS[0]);
  assert.equal(await page.locator('main').count(), 1);
  assert.match(await page.textContent('[data-testid="score-summary"]'), /Score\s*0\s*\/\s*15/);
  assert.deepEqual(errors, []);
});

test('every step is reachable by clicking it', async () => {
  const { page, errors } = await app.open();
  for (const step of [...STEPS.slice(1), STEPS[0]]) {
    await page.click(link(step.slug));
    const state = await expectStep(page, step);
    assert.equal(state.hash, `#/${step.slug}`);
  }
  // The pager at the foot of each panel walks the steps too.
  await page.click('[data-testid="pager-next"]');
  await expectStep(page, STEPS[1]);
  await page.click('[data-testid="pager-prev"]');
  await expectStep(page, STEPS[0]);
  assert.deepEqual(errors, []);
});

test('every step is reachable with Tab and Enter', async () => {
  const { page, errors } = await app.open();
  for (const step of STEPS) {
    // Start from the top of the page each time, as a keyboard user would.
    await page.evaluate(() => {
      document.activeElement?.blur();
      window.scrollTo(0, 0);
    });
    let focused = null;
    for (let presses = 0; presses < 30 && focused !== step.slug; presses++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.dataset?.step ?? null);
    }
    assert.equal(focused, step.slug, `Tab reaches the ${step.label} link`);
    await page.keyboard.press('Enter');
    const state = await expectStep(page, step);
    assert.equal(state.hash, `#/${step.slug}`);
  }
  assert.deepEqual(errors, []);
});

test('arrow keys move within the step list', async () => {
  const { page, errors } = await app.open();
  await page.focus(link('overview'));
  const focusedStep = () => page.evaluate(() => document.activeElement?.dataset?.step ?? null);

  await page.keyboard.press('ArrowDown');
  assert.equal(await focusedStep(), 'summary');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focusedStep(), 'timeline');
  await page.keyboard.press('ArrowUp');
  assert.equal(await focusedStep(), 'summary');
  await page.keyboard.press('End');
  assert.equal(await focusedStep(), 'export');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focusedStep(), 'export', 'stays on the last step');
  await page.keyboard.press('Home');
  assert.equal(await focusedStep(), 'overview');
  await page.keyboard.press('ArrowUp');
  assert.equal(await focusedStep(), 'overview', 'stays on the first step');

  // Moving the focus does not navigate; Enter does.
  await page.keyboard.press('ArrowDown');
  await expectStep(page, STEPS[0]);
  await page.keyboard.press('Enter');
  await expectStep(page, STEPS[1]);
  assert.deepEqual(errors, []);
});

test('a reload keeps the step, and a link with a hash opens that step', async () => {
  const { page, errors } = await app.open();
  await page.click(link('timeline'));
  await expectStep(page, STEPS[2]);
  await page.reload();
  await page.waitForSelector('[data-testid="app"]');
  const state = await expectStep(page, STEPS[2]);
  assert.equal(state.hash, '#/timeline');

  const direct = await app.open('#/actionables');
  await expectStep(direct.page, STEPS[6]);
  assert.deepEqual(errors, []);
  assert.deepEqual(direct.errors, []);
});

test('an unknown hash shows the first step', async () => {
  const { page, errors } = await app.open('#/no-such-step');
  await expectStep(page, STEPS[0]);
  assert.deepEqual(errors, []);
});

test('back and forward move between visited steps', async () => {
  const { page, errors } = await app.open();
  await page.click(link('summary'));
  await expectStep(page, STEPS[1]);
  await page.click(link('timeline'));
  await expectStep(page, STEPS[2]);

  await page.goBack();
  await expectStep(page, STEPS[1]);
  await page.goBack();
  await expectStep(page, STEPS[0]);
  await page.goForward();
  await expectStep(page, STEPS[1]);
  await page.goForward();
  assert.equal((await expectStep(page, STEPS[2])).hash, '#/timeline');
  assert.deepEqual(errors, []);
});

test('at 360 px wide nothing overflows and every step stays reachable', async () => {
  const { page, errors } = await app.open('', { viewport: { width: 360, height: 740 } });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the viewport`);
  // The nav sits above the editor on a narrow screen.
  const navBox = await page.locator('nav[aria-label="Report steps"]').boundingBox();
  const mainBox = await page.locator('main').boundingBox();
  assert.ok(navBox.y + navBox.height <= mainBox.y + 1, 'nav is above main');

  const last = STEPS.at(-1);
  await page.click(link(last.slug)); // scrolls the strip as needed
  await expectStep(page, last);
  assert.deepEqual(errors, []);
});
