// Shared helpers for irdoc's browser tests and scripts.
//
// - startServer(): a small static server for dist/ on 127.0.0.1, on a free port.
// - launchBrowser(): headless Chromium (the system one) through playwright-core.
// - openPage(): a page that records console errors and page errors.
// - startApp(): all of the above in one call, with a single close().
//
// Nothing here talks to anything but 127.0.0.1.

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, normalize, resolve, sep, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));

/** The repository root and the built app. */
export const ROOT = resolve(here, '..', '..');
export const DIST = process.env.IRDOC_DIST ? resolve(process.env.IRDOC_DIST) : join(ROOT, 'dist');

/** The system Chromium (scripts/setup.sh installs it and exports IRDOC_CHROMIUM). */
export const CHROMIUM = process.env.IRDOC_CHROMIUM || '/usr/bin/chromium';

/** Flags that keep Chromium quiet on machines with no network but loopback. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** The app's steps, in order: slug and label (mirrors src/route.rs). */
export const STEPS = [
  ['overview', 'Overview'],
  ['summary', 'Summary'],
  ['timeline', 'Timeline'],
  ['detection', 'Detection'],
  ['conclusions', 'Conclusions'],
  ['links', 'Links'],
  ['actionables', 'Actionables'],
  ['scorecard', 'Scorecard'],
  ['export', 'Export'],
].map(([slug, label]) => ({ slug, label }));

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/**
 * Serve `root` (dist/ by default) on 127.0.0.1 at a free port.
 * `base` serves it under a sub-path (e.g. "/irdoc/") as a static host would.
 * Unknown paths get 404 (the app routes in the URL hash, so it needs no fallback).
 * Resolves to { url, port, close() }; url ends with the base path.
 */
export async function startServer({ root = DIST, base = '/' } = {}) {
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(
      `${join(root, 'index.html')} not found: build the app first ` +
        '(scripts/test.sh does; or: . .tools/env.sh && irdoc_wasm trunk build --release --offline)',
    );
  }
  const rootDir = resolve(root);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://127.0.0.1');
      let path = decodeURIComponent(url.pathname);
      if (!path.startsWith(base)) return send(res, 404, 'not found');
      path = path.slice(base.length);
      if (path === '' || path.endsWith('/')) path += 'index.html';
      const file = normalize(join(rootDir, path));
      if (file !== rootDir && !file.startsWith(rootDir + sep)) return send(res, 403, 'forbidden');
      const info = await stat(file).catch(() => null);
      if (!info || !info.isFile()) return send(res, 404, 'not found');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': MIME[extname(file).toLowerCase()] || 'application/octet-stream',
        'content-length': body.length,
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      send(res, 500, String(err));
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const { port } = server.address();
  return {
    port,
    url: `http://127.0.0.1:${port}${base}`,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}

function send(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

/** Launch headless Chromium. A fresh profile is made (and removed) by Playwright. */
export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: run scripts/setup.sh (or set IRDOC_CHROMIUM)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    chromiumSandbox: false,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

/**
 * Open a new page in its own context. Returns { page, context, errors } where
 * errors collects console errors, uncaught page errors and failed requests.
 * Options: viewport ({ width, height }), colorScheme ('light' | 'dark').
 */
export async function openPage(browser, { viewport = { width: 1280, height: 800 }, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport, colorScheme });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) => {
    const reason = req.failure()?.errorText ?? '';
    // A navigation or reload cancels the page's requests in flight (ERR_ABORTED): not a failure.
    if (reason !== 'net::ERR_ABORTED') errors.push(`requestfailed: ${req.url()} ${reason}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) errors.push(`http ${res.status()}: ${res.url()}`);
  });
  return { page, context, errors };
}

/** Wait until the app has mounted (the wasm has loaded and rendered the shell). */
export async function waitForApp(page) {
  await page.waitForSelector('[data-testid="app"]', { state: 'visible', timeout: 30_000 });
}

/**
 * Start the server and the browser together.
 * Returns { server, browser, url, open(pathOrHash, options), close() };
 * open() goes to url + pathOrHash (e.g. "#/timeline") and waits for the app.
 */
export async function startApp(serverOptions = {}) {
  const server = await startServer(serverOptions);
  let browser;
  try {
    browser = await launchBrowser();
  } catch (err) {
    await server.close();
    throw err;
  }
  const contexts = [];
  return {
    server,
    browser,
    url: server.url,
    async open(suffix = '', options = {}) {
      const opened = await openPage(browser, options);
      contexts.push(opened.context);
      await opened.page.goto(server.url + suffix);
      await waitForApp(opened.page);
      return opened;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close().catch(() => {});
      await server.close();
    },
  };
}

/** Shows a step by clicking its link in the step navigation. */
export async function goToStep(page, slug) {
  await page.click(`[data-testid="step-link-${slug}"]`);
  await page.waitForSelector(`[data-testid="panel-${slug}"]`);
}

/** Waits until the header says the draft is saved. */
export async function waitForSave(page) {
  await page.waitForFunction(() => /^Saved/.test(document.querySelector('[data-testid="save-status"]')?.textContent ?? ''));
}

/**
 * Types `text` into every text field of a report, through the UI: title, metadata, the
 * prose steps, a timeline entry, an actionable (text and owner) and a scorecard note.
 * Ends on the scorecard step.
 */
export async function fillEveryField(page, text) {
  await goToStep(page, 'overview');
  await page.fill('#title', text);
  for (const id of ['task', 'paged-num', 'responders-num', 'coordinators', 'metrics', 'impact']) {
    await page.fill(`#meta-${id}`, text);
  }
  for (const slug of ['summary', 'detection', 'links']) {
    await goToStep(page, slug);
    await page.fill(`#${slug}`, text);
  }
  await goToStep(page, 'timeline');
  await page.click('[data-testid="add-entry"]');
  await page.locator('[data-testid="timeline-entry"] .text').last().fill(text);
  await goToStep(page, 'actionables');
  await page.click('[data-testid="add-actionable"]');
  await page.locator('[data-testid="actionable"] input[type=text]').first().fill(text);
  await page.locator('[data-testid="actionable"] [id$="-owner"]').last().fill(text);
  await goToStep(page, 'scorecard');
  await page.locator('[data-testid="question-0"] input[placeholder="Notes"]').fill(text);
}

/**
 * Starts a new draft from a page or document, as an author does: in the draft library's
 * "Start a report" panel, pastes `text` into the box (fills it and reads it), checks the
 * review and opens it as a new draft. Returns the review's text; ends on the Overview step.
 */
export async function importDocument(page, text) {
  if (!(await page.locator('[data-testid="start"]').count())) {
    await page.click('[data-testid="drafts-link"]');
    await page.waitForSelector('[data-testid="start"]');
  }
  await page.fill('[data-testid="import-text"]', text);
  await page.click('[data-testid="import-paste"]');
  await page.waitForSelector('[data-testid="review"]');
  const review = await page.locator('[data-testid="review"]').innerText();
  await page.click('[data-testid="review-accept"]');
  await page.waitForSelector('[data-testid="panel-overview"]');
  return review;
}
