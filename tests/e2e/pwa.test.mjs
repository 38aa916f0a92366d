// Offline and installable (issue 15), at the root of a host and under a sub-path:
// - after one visit the app loads with no network, with the last draft, and autosave, the
//   library, export, copy, download and share links work; a published draft never opened
//   says it needs the network;
// - a new build deployed to the same folder shows the update banner, and Reload switches to
//   it with the draft typed under the old one intact (an edit not saved yet included); other
//   tabs are not reloaded under their author, they offer the switch too;
// - Chromium finds the manifest without errors and the app installable, and the worker
//   controls the page; the browser's install offer becomes the header's button;
// - a development build (trunk serve) has no worker and removes one left on its address.
// The root runs on dist/ (the build under test); the sub-path on a build of its own
// (--public-url /irdoc/), and each "new version" is built too (build.mjs).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, DIST, ROOT, goToStep, launchBrowser, openPage, startServer, waitForApp, waitForSave } from './harness.mjs';
import { build } from './build.mjs';

/** Replaces what `served` holds with `from`'s files, as a deploy to the same folder does. */
async function deploy(from, served) {
  for (const entry of await readdir(served)) await rm(join(served, entry), { recursive: true, force: true });
  await cp(from, served, { recursive: true });
}

/** Waits until the worker controls the page; resolves to its build id. */
async function controlled(page) {
  await page.waitForFunction(() => navigator.serviceWorker?.controller?.state === 'activated', null, { timeout: 30_000 });
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = (e) => resolve(e.data);
        navigator.serviceWorker.controller.postMessage({ type: 'BUILD' }, [channel.port2]);
      }),
  );
}

/** What the brand's tagline ends with: " · B" in the "new version" builds. */
const variant = (page) =>
  page.evaluate(() => getComputedStyle(document.querySelector('.brand-tagline'), '::after').content);

/** Errors other than the requests the test made fail on purpose. */
const unexpected = (errors, allowed) => errors.filter((e) => !allowed.some((a) => e.includes(a)));

for (const base of ['/', '/irdoc/']) {
  describe(`offline and installable, served at ${base}`, () => {
    let served;
    let buildA;
    let buildB;
    let server;
    let browser;
    before(async () => {
      const started = Date.now();
      buildA = base === '/' ? DIST : (await build({ publicUrl: base })).dir;
      buildB = (await build({ publicUrl: base, variant: 'B' })).dir;
      console.log(`[pwa] builds for ${base}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
      served = await mkdtemp(join(tmpdir(), 'irdoc-served-'));
      await deploy(buildA, served);
      await writeFile(join(served, 'opened-once.wiki'), '== Summary ==\nPublished and opened once online.\n');
      server = await startServer({ root: served, base });
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await server?.close();
      if (served) await rm(served, { recursive: true, force: true });
      if (buildA && buildA !== DIST) await rm(join(buildA, '..'), { recursive: true, force: true });
      if (buildB) await rm(join(buildB, '..'), { recursive: true, force: true });
    });

    test('after one visit it works with no network', async () => {
      const { page, context, errors } = await openPage(browser);
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
      await page.goto(server.url + '#/overview');
      await waitForApp(page);
      await controlled(page);
      await page.fill('#title', 'Incidents/2026-12-01 Written on a train');
      await waitForSave(page);
      // A published draft opened once online is kept for offline use.
      const once = await context.newPage();
      await once.goto(server.url + '?draft=opened-once.wiki');
      await once.waitForSelector('[data-testid="shared"]');
      await once.close();
      assert.equal(await page.locator('[data-testid="offline-status"]').count(), 0);

      // The .wasm comes from the worker's cache as it came from the server, so it still
      // compiles while it streams (wasm-bindgen warns when it has to fall back).
      const wasm = [];
      const warnings = [];
      page.on('response', (r) => r.url().endsWith('.wasm') && wasm.push(r));
      page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
      await context.setOffline(true);
      await page.reload();
      await waitForApp(page);
      assert.equal(await page.inputValue('#title'), 'Incidents/2026-12-01 Written on a train');
      assert.ok(wasm.length > 0 && wasm.every((r) => r.fromServiceWorker() && r.status() === 200));
      assert.equal(wasm[0].headers()['content-type'], 'application/wasm');
      assert.deepEqual(warnings.filter((w) => /instantiateStreaming|MIME/i.test(w)), []);
      assert.equal(
        await page.locator('[data-testid="offline-status"]').innerText(),
        'Offline: drafts still save in this browser',
      );

      // Typing autosaves.
      await goToStep(page, 'summary');
      await page.fill('#summary', 'The wiki was down, the report was not.');
      await waitForSave(page);
      const stored = await page.evaluate(() =>
        Object.keys(localStorage)
          .filter((k) => k.startsWith('irdoc:draft:'))
          .map((k) => localStorage.getItem(k))
          .join('\n'),
      );
      assert.match(stored, /The wiki was down, the report was not\./);

      // The library.
      await page.click('[data-testid="drafts-link"]');
      await page.waitForSelector('[data-testid="draft"] >> text=Written on a train');

      // Export: the preview, copy and download.
      await goToStep(page, 'export');
      assert.match(await page.locator('[data-testid="preview"]').innerText(), /The wiki was down/);
      await page.click('[data-testid="copy"]');
      assert.equal(await page.locator('[data-testid="copied"]').innerText(), 'Copied to the clipboard.');
      assert.match(await page.evaluate(() => navigator.clipboard.readText()), /The wiki was down/);
      const download = page.waitForEvent('download');
      await page.click('[data-testid="download-wiki"]');
      const file = await (await download).path();
      assert.match(await readFile(file, 'utf8'), /The wiki was down/);

      // A share link opens (the report is in the link).
      await page.click('[data-testid="share-make"]');
      const link = await page.locator('[data-testid="share-link"]').inputValue();
      const reader = await context.newPage();
      await reader.goto(link);
      await waitForApp(reader);
      await reader.waitForSelector('[data-testid="shared-preview"] >> text=The wiki was down');

      // Published drafts: the one opened before opens; one never opened says it needs the network.
      await reader.goto(server.url + '?draft=opened-once.wiki');
      await waitForApp(reader);
      await reader.waitForSelector('[data-testid="shared"] >> text=Published and opened once online');
      await reader.goto(server.url + '?draft=never-opened.wiki');
      await waitForApp(reader);
      await reader.waitForSelector('text=/needs the network: this browser is offline/');

      await context.setOffline(false);
      assert.deepEqual(unexpected(errors, ['never-opened.wiki']), []);
      await context.close();
    });

    test('a new build: the banner, then Reload switches to it and the draft is intact', async () => {
      const { page, context, errors } = await openPage(browser);
      await page.goto(server.url + '#/overview');
      await waitForApp(page);
      const a = await controlled(page);
      assert.equal(await variant(page), 'none');
      await page.fill('#title', 'Incidents/2026-12-01 Typed under A');
      await waitForSave(page);
      assert.equal(await page.locator('[data-testid="update-banner"]').count(), 0);
      // Another tab of the app: it must not be reloaded under its author.
      const other = await context.newPage();
      await other.goto(server.url + '#/drafts');
      await waitForApp(other);
      await other.evaluate(() => (window.__stayed = true));

      await deploy(buildB, served);
      // The app looks for a new build when its tab is shown again (and when the network
      // comes back); the browser also does on navigations.
      await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange', { bubbles: true })));
      await page.waitForSelector('[data-testid="update-banner"]', { timeout: 30_000 });
      assert.equal(await page.locator('[data-testid="update-banner"]').textContent(), 'A new version of irdoc is ready: Reload');
      assert.equal(await variant(page), 'none', 'nothing changes before the author asks');

      // An edit typed just before Reload, not saved yet (autosave waits 300 ms), is kept too.
      await goToStep(page, 'summary');
      await page.fill('#summary', 'Typed the moment before Reload.');
      const reloaded = page.waitForEvent('load');
      await page.click('[data-testid="update-reload"]');
      await reloaded;
      await waitForApp(page);
      const b = await controlled(page);
      assert.notEqual(b, a);
      assert.equal(await variant(page), '" · B"');
      assert.equal(await page.locator('[data-testid="update-banner"]').count(), 0);
      assert.equal(await page.inputValue('#summary'), 'Typed the moment before Reload.');
      await goToStep(page, 'overview');
      assert.equal(await page.inputValue('#title'), 'Incidents/2026-12-01 Typed under A');
      // The other tab is still on A, not reloaded, and offers the switch too.
      await other.waitForSelector('[data-testid="update-banner"]');
      assert.equal(await other.evaluate(() => window.__stayed), true);
      assert.equal(await variant(other), 'none');
      await other.close();
      // One cache per build: A's is gone.
      const caches = await page.evaluate(() => caches.keys());
      assert.deepEqual(caches.filter((k) => k.includes(':build:')).map((k) => k.split(':build:')[1]), [b]);

      // A draft saved by the new version opens in it, offline too.
      await page.fill('#title', 'Incidents/2026-12-01 Saved under B');
      await waitForSave(page);
      await context.setOffline(true);
      await page.reload();
      await waitForApp(page);
      assert.equal(await page.inputValue('#title'), 'Incidents/2026-12-01 Saved under B');
      assert.equal(await variant(page), '" · B"');
      await context.setOffline(false);
      assert.deepEqual(errors, []);
      await context.close();
      await deploy(buildA, served);
    });

    test('Chromium finds the manifest and the app installable; the worker controls the page', async () => {
      // Installability is not checked in incognito, which every new Playwright context is.
      const profile = await mkdtemp(join(tmpdir(), 'irdoc-profile-'));
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        chromiumSandbox: false,
        args: CHROMIUM_ARGS,
      });
      try {
        const page = context.pages()[0] ?? (await context.newPage());
        await page.goto(server.url);
        await waitForApp(page);
        await controlled(page);
        const cdp = await context.newCDPSession(page);
        const manifest = await cdp.send('Page.getAppManifest');
        assert.equal(manifest.url, new URL('manifest.webmanifest', server.url).href);
        assert.deepEqual(manifest.errors, []);
        const data = JSON.parse(manifest.data);
        assert.equal(data.start_url, './');
        assert.equal(data.scope, './');
        assert.equal(data.display, 'standalone');
        assert.ok(data.icons.some((i) => i.purpose === 'maskable'));
        const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
        assert.deepEqual(installabilityErrors, []);
        const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).scope);
        assert.equal(scope, server.url);
        // The browser offers to install it: the header's button, not the browser's own bar.
        const install = page.locator('[data-testid="install"]');
        await install.waitFor({ timeout: 15_000 });
        assert.equal(await install.innerText(), 'Install irdoc');
      } finally {
        await context.close();
        await rm(profile, { recursive: true, force: true });
      }
    });
  });
}

test('a development build (trunk serve) gets no worker, and removes one a release build left', async () => {
  const work = await mkdtemp(join(tmpdir(), 'irdoc-dev-'));
  const release = join(work, 'release');
  const dev = join(work, 'dev');
  await cp(DIST, release, { recursive: true });
  // What Trunk stages for a debug build: the page without the mark, and no sw.js; the hook
  // must leave it so.
  await cp(DIST, dev, { recursive: true });
  await rm(join(dev, 'sw.js'));
  const page0 = (await readFile(join(dev, 'index.html'), 'utf8')).replace(/<meta name="irdoc-worker" content="sw.js" \/>/, '');
  assert.ok(!page0.includes('content="sw.js"'));
  await writeFile(join(dev, 'index.html'), page0);
  const hook = spawnSync(process.execPath, [join(ROOT, 'scripts', 'offline-build.mjs')], {
    env: { ...process.env, TRUNK_PROFILE: 'debug', TRUNK_STAGING_DIR: dev },
    encoding: 'utf8',
  });
  assert.equal(hook.status, 0, hook.stderr);
  assert.equal(await readFile(join(dev, 'index.html'), 'utf8'), page0);
  assert.ok(!(await readdir(dev)).includes('sw.js'));

  const served = join(work, 'served');
  await cp(release, served, { recursive: true });
  const server = await startServer({ root: served });
  const browser = await launchBrowser();
  try {
    const { page, errors } = await openPage(browser);
    await page.goto(server.url);
    await waitForApp(page);
    await controlled(page);
    await deploy(dev, served);
    await page.reload();
    await waitForApp(page);
    await page.waitForFunction(() => {
      navigator.serviceWorker.getRegistration().then((r) => (window.__registered = Boolean(r)));
      return window.__registered === false;
    });
    // An unregistered worker keeps the pages it controls until they are gone: a new one has none.
    const again = await page.context().newPage();
    await page.close();
    await again.goto(server.url);
    await waitForApp(again);
    assert.equal(await again.evaluate(() => navigator.serviceWorker.controller === null), true);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
    await rm(work, { recursive: true, force: true });
  }
});
