// A real MediaWiki (Debian's 1.39, SQLite, PHP's built-in server) on 127.0.0.1
// for irdoc's tests. See README.md ("Test wiki").
//
//   import { startWiki, fixturePages } from './wiki.mjs';
//   const wiki = await startWiki({ pages: await fixturePages() });
//   wiki.base          // "http://127.0.0.1:PORT"
//   wiki.api           // base + "/w/api.php"
//   wiki.index         // base + "/w/index.php"
//   wiki.articleUrl(t) // base + "/wiki/" + t, encoded as MediaWiki does
//   wiki.user, wiki.password   // a registered (non-admin) test user
//   await wiki.edit(title, text)   // -> { title, revid, changed }
//   await wiki.read(title)         // -> { content, revid, timestamp } or null (through api.php)
//   await wiki.stop()              // kills php, removes the temp directory
//
// Each wiki lives in its own temp directory (LocalSettings.php, SQLite files,
// caches); MediaWiki's code is shared read-only, so instances never interfere.
// The first startWiki() in a process installs a pristine wiki (install.php, the
// test user, the template stand-ins of wiki-templates/, SITE_PAGES, interwiki prefixes) into
// a template directory; every instance starts as a copy of it.
//
// By hand: node tests/e2e/wiki.mjs --serve [--port 8081]  (seeds the six fixtures)
//
// Nothing here talks to anything but 127.0.0.1.

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '..', '..');
/** The PHP side: settings, router and seeding script. */
export const WIKI_PHP_DIR = join(here, 'wiki');
/** Template stand-ins: <Name>.wiki becomes Template:<Name> (underscores are spaces). */
export const TEMPLATES_DIR = join(here, 'wiki-templates');
/** The six real wikitech pages and SOURCES.md, which names their titles. */
export const FIXTURES_DIR = join(ROOT, 'crates', 'core', 'tests', 'data', 'wikitech');

/** The test user that every wiki has (created with maintenance/createAndPromote.php). */
export const WIKI_USER = 'Irdoc tester';
/** Interwiki prefixes of wikitech that the fixture pages link with. */
export const INTERWIKI = [
  { prefix: 'phab', url: 'https://phabricator.wikimedia.org/$1' },
  { prefix: 'gerrit', url: 'https://gerrit.wikimedia.org/r/$1' },
];

/**
 * Site pages every wiki has besides the templates: wikitech shows the tagline
 * ("From Wikitech") under the title, which MediaWiki hides unless site CSS shows it.
 */
export const SITE_PAGES = [
  { title: 'MediaWiki:Vector.css', text: '/* as on wikitech: "From Wikitech" under the title */\n#siteSub { display: block; }' },
  { title: 'MediaWiki:Vector-2022.css', text: '/* as on wikitech: "From Wikitech" under the title */\n#siteSub { display: block; }' },
];

const HOW_TO_FIX =
  'Run scripts/setup.sh (it installs php-cli, php-sqlite3, php-intl, php-mbstring and php-xml ' +
  "and unpacks Debian's MediaWiki into .tools/mediawiki), or set IRDOC_SKIP_WIKI=1 to skip the wiki tests.";

/** Thrown when php or MediaWiki is missing: the message says how to fix it. */
export class WikiUnavailable extends Error {
  constructor(what) {
    super(`The test wiki cannot start: ${what}. ${HOW_TO_FIX}`);
    this.name = 'WikiUnavailable';
  }
}

/**
 * Why the wiki tests are skipped, or null when they run. Only IRDOC_SKIP_WIKI=1 skips
 * them: a missing php or MediaWiki is a failure (WikiUnavailable), never a silent skip.
 */
export function wikiSkipReason() {
  return process.env.IRDOC_SKIP_WIKI === '1'
    ? 'IRDOC_SKIP_WIKI=1: the test wiki (php + MediaWiki) is not used'
    : null;
}

// ------------------------------------------------------------------ finding --

function onPath(name) {
  for (const dir of (process.env.PATH || '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

function mwVersion(dir) {
  try {
    const m = readFileSync(join(dir, 'includes', 'Defines.php'), 'utf8').match(/define\(\s*'MW_VERSION',\s*'([^']+)'/);
    return m ? m[1] : null;
  } catch {
    return null;
  }
}

/**
 * Where php and MediaWiki are: { php, mw, version }. MediaWiki is looked for in
 * $IRDOC_MEDIAWIKI, then .tools/mediawiki/usr/share/mediawiki (scripts/setup.sh
 * unpacks Debian's package there), then /usr/share/mediawiki (the package installed).
 * Throws WikiUnavailable.
 */
export function findMediaWiki() {
  const php = process.env.IRDOC_PHP || onPath('php');
  if (!php) throw new WikiUnavailable('php is not installed (no php on PATH)');
  if (!existsSync(php)) throw new WikiUnavailable(`IRDOC_PHP=${php} does not exist`);
  const candidates = process.env.IRDOC_MEDIAWIKI
    ? [process.env.IRDOC_MEDIAWIKI]
    : [join(ROOT, '.tools', 'mediawiki', 'usr', 'share', 'mediawiki'), '/usr/share/mediawiki'];
  for (const dir of candidates) {
    const version = mwVersion(dir);
    if (version) return { php, mw: realpathSync(dir), version };
  }
  throw new WikiUnavailable(`MediaWiki is not installed (looked in ${candidates.join(', ')})`);
}

// ----------------------------------------------------------------- running --

/** Runs php with args; resolves to stdout; rejects with the output's tail. */
function runPhp(php, args, { env, input, timeoutMs = 120_000, what = args[0] } = {}) {
  return new Promise((ok, fail) => {
    const child = spawn(php, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      fail(new Error(`php ${what}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return ok(out);
      const tail = (out + '\n' + err).trim().split('\n').slice(-25).join('\n');
      const why = signal === 'SIGKILL' ? `timed out after ${timeoutMs / 1000}s` : `exit ${code ?? signal}`;
      fail(new Error(`php ${what} failed (${why}):\n${tail}`));
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

function phpString(s) {
  return `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function localSettings(dir, server) {
  return [
    '<?php',
    '// Written by tests/e2e/wiki.mjs for one test wiki; the settings are in IrdocSettings.php.',
    '$irdocWiki = [',
    `\t'server' => ${phpString(server)},`,
    `\t'dir' => ${phpString(dir)},`,
    `\t'secret' => ${phpString(randomBytes(32).toString('hex'))},`,
    '];',
    `require ${phpString(join(WIKI_PHP_DIR, 'IrdocSettings.php'))};`,
    '',
  ].join('\n');
}

/** MediaWiki's wfUrlencode() of a title in an article path: spaces become underscores. */
export function encodeTitle(title) {
  return encodeURIComponent(title.replace(/ /g, '_'))
    .replace(/%(3B|40|24|21|2A|28|29|2C|2F|7E|3A)/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/'/g, '%27');
}

// ------------------------------------------------------- live process list --

const live = new Set(); // { kill(): void } of php servers and temp dirs, for exit and signals

function cleanupAllSync() {
  for (const item of [...live]) {
    try {
      item.killSync();
    } catch {
      // already gone
    }
  }
  live.clear();
}
let hooked = false;
function hookProcessExit() {
  if (hooked) return;
  hooked = true;
  process.on('exit', cleanupAllSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    const onSignal = () => {
      cleanupAllSync();
      process.removeListener(sig, onSignal);
      // Other listeners (a test runner's) handle it; otherwise die of the signal as usual.
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
}

function trackDir(dir) {
  // The owner's pid, for sweepStaleDirs() after a process that could not clean up (SIGKILL).
  writeFileSync(join(dir, '.irdoc-owner'), String(process.pid));
  const item = { killSync: () => rmSync(dir, { recursive: true, force: true }) };
  live.add(item);
  return item;
}

/** Removes the temp dirs of test wikis whose process is gone (killed with SIGKILL, say). */
function sweepStaleDirs() {
  let names = [];
  try {
    names = readdirSync(tmpdir()).filter((n) => n.startsWith('irdoc-wiki-'));
  } catch {
    return;
  }
  for (const name of names) {
    const dir = join(tmpdir(), name);
    let pid;
    try {
      pid = Number(readFileSync(join(dir, '.irdoc-owner'), 'utf8'));
    } catch {
      continue; // not ours, or being created
    }
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
      continue; // still running
    } catch (err) {
      if (err.code !== 'ESRCH') continue;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------ the pristine --

let pristine = null; // Promise<{ dir, php, mw, version, password, installSeconds }>

async function pageFiles(dir) {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.wiki')).sort();
  return Promise.all(
    names.map(async (n) => ({
      title: 'Template:' + n.slice(0, -'.wiki'.length).replace(/_/g, ' '),
      text: await readFile(join(dir, n), 'utf8'),
    })),
  );
}

/** The template stand-ins of wiki-templates/, as pages: [{ title, text }]. */
export function templatePages() {
  return pageFiles(TEMPLATES_DIR);
}

/**
 * The six wikitech fixture pages: [{ name, file, title, text }], titles as in SOURCES.md
 * (e.g. "Incidents/2024-07-21 s4 and x1 write overload"); text is the file's bytes.
 */
export async function fixturePages() {
  const sources = await readFile(join(FIXTURES_DIR, 'SOURCES.md'), 'utf8');
  const pages = [];
  for (const line of sources.split('\n')) {
    const m = line.match(/^\|\s*([^|]+\.txt)\s*\|\s*([^|]+?)\s*\|/);
    if (!m) continue;
    const file = join(FIXTURES_DIR, m[1].trim());
    pages.push({ name: m[1].trim().replace(/\.txt$/, ''), file, title: m[2], text: await readFile(file, 'utf8') });
  }
  if (pages.length === 0) throw new Error(`no pages listed in ${join(FIXTURES_DIR, 'SOURCES.md')}`);
  return pages;
}

async function makePristine() {
  const found = findMediaWiki();
  const { php, mw } = found;
  const started = Date.now();
  sweepStaleDirs();
  const dir = await mkdtemp(join(tmpdir(), 'irdoc-wiki-pristine-'));
  const tracked = trackDir(dir);
  hookProcessExit();
  try {
    const modules = await runPhp(php, ['-m'], { what: '-m' });
    const missing = ['pdo_sqlite', 'intl', 'mbstring', 'dom', 'xml'].filter(
      (m) => !new RegExp(`^${m}$`, 'mi').test(modules),
    );
    if (missing.length) throw new WikiUnavailable(`php lacks the extension(s) ${missing.join(', ')}`);
    await Promise.all(['data', 'cache', 'tmp', 'install'].map((d) => mkdir(join(dir, d))));
    const env = { MW_INSTALL_PATH: mw, MW_CONFIG_FILE: join(dir, 'install', 'LocalSettings.php') };
    await runPhp(
      php,
      [
        join(mw, 'maintenance', 'install.php'),
        '--dbtype', 'sqlite', '--dbpath', join(dir, 'data'), '--dbname', 'wiki',
        '--confpath', join(dir, 'install'), '--server', 'http://127.0.0.1', '--scriptpath', '/w',
        '--lang', 'en', '--pass', randomBytes(16).toString('hex') + 'Aa1!', '--skins', 'Vector',
        'Wikitech', 'WikiAdmin',
      ],
      { env, what: 'maintenance/install.php' },
    );
    await rm(join(dir, 'install'), { recursive: true, force: true });
    await writeFile(join(dir, 'LocalSettings.php'), localSettings(dir, 'http://127.0.0.1'));
    const settingsEnv = { MW_INSTALL_PATH: mw, MW_CONFIG_FILE: join(dir, 'LocalSettings.php') };
    const password = 'irdoc-' + randomBytes(12).toString('hex');
    await runPhp(php, [join(mw, 'maintenance', 'createAndPromote.php'), WIKI_USER, password], {
      env: settingsEnv,
      what: 'maintenance/createAndPromote.php',
    });
    await runPhp(php, [join(WIKI_PHP_DIR, 'seed.php')], {
      env: settingsEnv,
      input: JSON.stringify({ interwiki: INTERWIKI, pages: [...SITE_PAGES, ...(await templatePages())] }),
      what: 'seed.php (templates)',
    });
    return { ...found, dir, password, installSeconds: (Date.now() - started) / 1000 };
  } catch (err) {
    tracked.killSync();
    live.delete(tracked);
    throw err;
  }
}

function getPristine() {
  pristine ??= makePristine().catch((err) => {
    pristine = null;
    throw err;
  });
  return pristine;
}

// --------------------------------------------------------------- instances --

/**
 * Start a wiki. Options:
 *   pages      [{ title, text }] or { title: text } to seed (one PHP process for all)
 *   port       a fixed port (default: a free one)
 *   timeoutMs  how long php may take to answer (default 30 s)
 *   onLog      function(line) for php's server log (default: kept, last 200 lines in errors)
 * Resolves to the handle described at the top of this file, plus timings
 * ({ pristine, start, seed } in seconds), dir, mw (MediaWiki's directory),
 * version, and logTail().
 */
export async function startWiki({ pages = [], port, timeoutMs = 30_000, onLog } = {}) {
  const t0 = Date.now();
  const base0 = await getPristine();
  const tPristine = (Date.now() - t0) / 1000;
  const { php, mw, version, password } = base0;
  const t1 = Date.now();
  const dir = await mkdtemp(join(tmpdir(), 'irdoc-wiki-'));
  const dirItem = trackDir(dir);
  const log = [];
  const keep = (line) => {
    log.push(line);
    if (log.length > 200) log.shift();
    onLog?.(line);
  };
  const logTail = (n = 30) => log.slice(-n).join('\n');

  let server = null;
  let stopped = false;
  try {
    await cp(join(base0.dir, 'data'), join(dir, 'data'), { recursive: true });
    await cp(join(base0.dir, 'cache'), join(dir, 'cache'), { recursive: true });
    await mkdir(join(dir, 'tmp'));
    await mkdir(join(dir, 'docroot'));
    await symlink(mw, join(dir, 'docroot', 'w'));
    const env = { MW_INSTALL_PATH: mw, MW_CONFIG_FILE: join(dir, 'LocalSettings.php') };

    for (let attempt = 1; ; attempt++) {
      const p = port ?? (await freePort());
      await writeFile(env.MW_CONFIG_FILE, localSettings(dir, `http://127.0.0.1:${p}`));
      server = startPhpServer({ php, dir, port: p, env, keep });
      live.add(server);
      const up = await waitUntilUp(`http://127.0.0.1:${p}`, server, timeoutMs);
      if (up === true) break;
      live.delete(server);
      server.killSync();
      const busy = /Address already in use|Failed to listen|another server/i.test(`${up}\n${logTail(5)}`);
      if (!busy || port || attempt >= 3) {
        throw new Error(`php -S on 127.0.0.1:${p} did not start (${up}). Its log:\n${logTail()}`);
      }
    }
    const base = server.base;
    const tStart = (Date.now() - t1) / 1000;

    const seedEnv = env;
    const seed = async (list) => {
      const out = await runPhp(php, [join(WIKI_PHP_DIR, 'seed.php')], {
        env: seedEnv,
        input: JSON.stringify({ pages: list }),
        what: 'seed.php',
      });
      return JSON.parse(out.trim().split('\n').pop()).pages;
    };
    const list = Array.isArray(pages) ? pages : Object.entries(pages).map(([title, text]) => ({ title, text }));
    const t2 = Date.now();
    if (list.length) await seed(list.map(({ title, text }) => ({ title, text })));
    const tSeed = (Date.now() - t2) / 1000;

    const api = `${base}/w/api.php`;
    const handle = {
      base,
      api,
      index: `${base}/w/index.php`,
      articleUrl: (title) => `${base}/wiki/${encodeTitle(title)}`,
      user: WIKI_USER,
      password,
      version,
      mw,
      dir,
      timings: { pristine: tPristine, pristineInstall: base0.installSeconds, start: tStart, seed: tSeed },
      logTail,
      /** Saves `text` as the page's new revision (as maintenance/edit.php would). Options: summary, user. */
      async edit(title, text, { summary, user } = {}) {
        const [saved] = await seed([{ title, text, summary, user }]);
        return saved;
      },
      /** The page's current revision through api.php: { content, revid, timestamp }, or null if missing. */
      async read(title) {
        const url = new URL(api);
        for (const [k, v] of Object.entries({
          action: 'query', prop: 'revisions', rvprop: 'content|ids|timestamp', rvslots: 'main',
          formatversion: '2', format: 'json', origin: '*', curtimestamp: '1', titles: title,
        })) url.searchParams.set(k, v);
        const res = await fetch(url);
        if (!res.ok) throw new Error(`read(${title}): HTTP ${res.status} from ${url}`);
        const json = await res.json();
        const page = json.query?.pages?.[0];
        if (!page) throw new Error(`read(${title}): unexpected answer ${JSON.stringify(json).slice(0, 300)}`);
        if (page.missing || page.invalid) return null;
        const rev = page.revisions[0];
        return { content: rev.slots.main.content, revid: rev.revid, timestamp: rev.timestamp };
      },
      /** Kills php and removes the wiki's directory. Safe to call twice. */
      async stop() {
        if (stopped) return;
        stopped = true;
        await server.stop();
        live.delete(server);
        await rm(dir, { recursive: true, force: true });
        live.delete(dirItem);
      },
    };
    return handle;
  } catch (err) {
    if (server) {
      server.killSync();
      live.delete(server);
    }
    dirItem.killSync();
    live.delete(dirItem);
    throw err;
  }
}

/**
 * php -S in its own process group, behind a tiny sh that ends the group when
 * node's end of its stdin closes: php never outlives node, even after SIGKILL.
 */
function startPhpServer({ php, dir, port, env, keep }) {
  const nonce = randomBytes(8).toString('hex');
  const args = ['-S', `127.0.0.1:${port}`, '-t', join(dir, 'docroot'), join(WIKI_PHP_DIR, 'router.php')];
  // sh waits for php (so an early exit, such as a busy port, is seen at once); a
  // subshell ends the whole group when node's end of stdin closes.
  // (A background job's stdin is /dev/null in sh, hence fd 3.)
  const script = 'exec 3<&0; "$@" </dev/null & p=$!; (read _ignored <&3; kill 0) & wait $p';
  const child = spawn('sh', ['-c', script, 'irdoc-wiki', php, ...args], {
    env: { ...process.env, ...env, PHP_CLI_SERVER_WORKERS: '4', IRDOC_WIKI_NONCE: nonce },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  let exited = null;
  const exitPromise = new Promise((ok) =>
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      ok();
    }),
  );
  child.on('error', (e) => keep(`spawn error: ${e.message}`));
  let partial = '';
  const onData = (d) => {
    const lines = (partial + d).split('\n');
    partial = lines.pop();
    for (const l of lines) keep(l);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  child.stdin.on('error', () => {});
  // Neither the child nor its pipes keep node alive: the exit hook kills it.
  child.unref();
  for (const s of [child.stdin, child.stdout, child.stderr]) s.unref?.();

  const signalGroup = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      // already gone
    }
  };
  return {
    base: `http://127.0.0.1:${port}`,
    nonce,
    exited: () => exited,
    killSync() {
      signalGroup('SIGKILL');
    },
    async stop() {
      if (exited) return;
      signalGroup('SIGTERM');
      const done = await Promise.race([exitPromise.then(() => true), sleep(3000).then(() => false)]);
      if (!done) {
        signalGroup('SIGKILL');
        await exitPromise;
      }
      signalGroup('SIGKILL'); // php workers that outlived the shell
    },
  };
}

/** Polls api.php until it answers; resolves true, or a string saying why not. */
async function waitUntilUp(base, server, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  const url = `${base}/w/api.php?action=query&meta=siteinfo&format=json&formatversion=2`;
  let last = 'no answer';
  while (Date.now() < deadline) {
    const ex = server.exited();
    if (ex) return `php exited (${ex.code ?? ex.signal})`;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(Math.max(1000, deadline - Date.now())) });
      const body = await res.text();
      // The nonce proves that the answer comes from this php, not another server on the port.
      if (res.ok && res.headers.get('x-irdoc-wiki') === server.nonce && body.includes('"sitename"')) return true;
      if (res.headers.get('x-irdoc-wiki') !== server.nonce) return `another server answers on ${base}`;
      last = `HTTP ${res.status}: ${body.slice(0, 500)}`;
      if (res.status >= 500) return last;
    } catch (e) {
      last = e.cause?.code || e.message;
    }
    await sleep(100);
  }
  return `no answer within ${timeoutMs / 1000}s (last: ${last})`;
}

// ---------------------------------------------------------------- browser --

/**
 * Logs `page` (Playwright) in as the wiki's test user through Special:UserLogin,
 * as a person would; resolves once the wiki's script says who is logged in.
 */
export async function logIn(page, wiki, { returnTo } = {}) {
  const target = returnTo ? `&returnto=${encodeURIComponent(returnTo)}` : '';
  await page.goto(`${wiki.index}?title=Special:UserLogin${target}`);
  await page.fill('#wpName1', wiki.user);
  await page.fill('#wpPassword1', wiki.password);
  await Promise.all([
    page.waitForURL((url) => !url.search.includes('Special:UserLogin') && !url.pathname.includes('Special:UserLogin')).catch(() => {}),
    page.click('#wpLoginAttempt'),
  ]);
  const name = await page
    .waitForFunction(() => window.mw?.config?.get('wgUserName') !== undefined && mw.config.get('wgUserName'), null, { timeout: 10_000 })
    .then((h) => h.jsonValue())
    .catch(() => null);
  if (name !== wiki.user) {
    const error = await page.locator('.mw-message-box-error, .errorbox').first().textContent({ timeout: 1000 }).catch(() => '');
    throw new Error(`logging in as ${wiki.user} failed: ${error?.trim() || `wgUserName is ${name}`} (at ${page.url()})`);
  }
}

// -------------------------------------------------------------------- CLI --

async function main(argv) {
  if (!argv.includes('--serve')) {
    console.log('usage: node tests/e2e/wiki.mjs --serve [--port N] [--log]');
    console.log('  starts a test wiki with the six fixture pages and waits (Ctrl+C stops it)');
    process.exit(2);
  }
  const i = argv.indexOf('--port');
  const port = i >= 0 ? Number(argv[i + 1]) : undefined;
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    console.error(`--port needs a port number, not ${argv[i + 1] ?? 'nothing'}`);
    process.exit(2);
  }
  const fixtures = await fixturePages();
  const wiki = await startWiki({
    pages: fixtures,
    port,
    onLog: argv.includes('--log') ? (l) => console.error(l) : undefined,
  });
  const t = wiki.timings;
  console.log(`MediaWiki ${wiki.version} at ${wiki.base}/wiki/  (pristine ${t.pristine.toFixed(1)}s, start ${t.start.toFixed(1)}s, seed ${t.seed.toFixed(1)}s)`);
  console.log(`user: ${wiki.user}   password: ${wiki.password}`);
  console.log(`api:  ${wiki.api}`);
  for (const f of fixtures) console.log(`  ${wiki.articleUrl(f.title)}`);
  console.log('Ctrl+C stops it and removes its directory.');
  const stop = async () => {
    await wiki.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  setInterval(() => {}, 1 << 30);
}

if (import.meta.url === pathToFileURL(process.argv[1] || '').href) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
