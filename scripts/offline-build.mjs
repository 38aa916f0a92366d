#!/usr/bin/env node
// Trunk post_build hook (Trunk.toml): makes a release build work offline.
//
// Over the staging directory Trunk is about to move to dist/ ($TRUNK_STAGING_DIR), it
//   1. marks index.html with <meta name="irdoc-worker" content="sw.js">, which is what makes
//      the app register the worker (src/offline.rs): no mark, no worker;
//   2. lists every file of the build (Trunk's hashed names included) and hashes their
//      contents (and the worker's code) into a build id;
//   3. writes worker/sw.js with that list and id as sw.js beside index.html.
// Every path is relative to the worker, so a build for a sub-path (--public-url /irdoc/)
// works as one for the root. Development builds (TRUNK_PROFILE=debug: trunk serve) are left
// alone and get no worker.
//
//   node scripts/offline-build.mjs [DIR]   (DIR defaults to $TRUNK_STAGING_DIR)
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const WORKER = 'sw.js';
const MARK = `<meta name="irdoc-worker" content="${WORKER}" />`;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
const say = (line) => console.log(`[offline] ${line}`);

if (!dir) {
  console.error('[offline] no directory: run as a Trunk hook or pass the built directory');
  process.exit(2);
}
if (process.env.TRUNK_PROFILE && process.env.TRUNK_PROFILE !== 'release') {
  say(`${process.env.TRUNK_PROFILE} build: no service worker`);
  process.exit(0);
}

const indexPath = join(dir, 'index.html');
let index = await readFile(indexPath, 'utf8');
if (!index.includes(MARK)) {
  if (!index.includes('</head>')) throw new Error(`${indexPath} has no </head>`);
  index = index.replace('</head>', `${MARK}</head>`);
  await writeFile(indexPath, index);
}

/** Every file under `at`, as paths relative to `dir` with forward slashes, sorted. */
async function files(at) {
  const found = [];
  for (const entry of await readdir(at, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(at, entry.name);
    if (entry.isDirectory()) found.push(...(await files(path)));
    else if (entry.isFile()) found.push(relative(dir, path).split(sep).join('/'));
  }
  return found.sort();
}

const list = (await files(dir)).filter((file) => file !== WORKER);
const template = await readFile(join(root, 'worker', 'sw.js'), 'utf8');
// The id of the build: its files and the worker's own code.
const hash = createHash('sha256').update(template).update('\0');
for (const file of list) {
  hash.update(file).update('\0').update(await readFile(join(dir, file))).update('\0');
}
const build = hash.digest('hex').slice(0, 16);
const worker = template
  .replace("'__IRDOC_BUILD__'", JSON.stringify(build))
  .replace('/* __IRDOC_FILES__ */ []', JSON.stringify(list, null, 2));
if (worker === template || !worker.includes(build)) throw new Error('worker/sw.js has lost its placeholders');
await writeFile(join(dir, WORKER), worker);
say(`${WORKER}: build ${build}, ${list.length} files precached, public url ${process.env.TRUNK_PUBLIC_URL ?? '(not a Trunk hook)'}`);
