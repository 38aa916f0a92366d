// Release builds of the app for the offline tests (pwa.test.mjs): Trunk's real pipeline,
// its post_build hook (the service worker) included, into a folder of their own.
//
// - build({ publicUrl }) builds index.html as it is, e.g. for a sub-path ("/irdoc/");
// - build({ variant: 'B' }) builds a visibly different app ("a new version"): the same page
//   and code with one more rule in the stylesheet (the tagline ends in " · B"), so the build
//   has its own CSS file name, file list, build id and worker. Its .wasm skips wasm-opt: it
//   builds in seconds instead of about 40 s, and its bytes differ from the optimised one's
//   (under the same name, as Trunk names it before wasm-opt), so the switch to it shows that
//   each build's worker serves its own cached copy.
// Cargo's work is shared with the main build (same target directory), so a build costs
// about what wasm-bindgen and wasm-opt do.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ROOT } from './harness.mjs';

/** Builds into a new temporary folder; resolves to { dir, seconds }. */
export async function build({ publicUrl = '/', variant } = {}) {
  const work = await mkdtemp(join(tmpdir(), 'irdoc-build-'));
  const dir = join(work, 'dist');
  let target = join(ROOT, 'index.html');
  if (variant) {
    // The page, with the paths it names leading back to the repository (Trunk reads them
    // relative to the page, even absolute ones), and its own stylesheet.
    const back = (path) => relative(work, join(ROOT, path));
    const css = (await readFile(join(ROOT, 'style', 'irdoc.css'), 'utf8')) +
      `\n.brand-tagline::after { content: " · ${variant}"; }\n`;
    await writeFile(join(work, 'irdoc.css'), css);
    const html = (await readFile(target, 'utf8'))
      .replace('data-bin="irdoc-web"', `data-bin="irdoc-web" href="${back('Cargo.toml')}"`)
      .replace('href="style/irdoc.css"', 'href="irdoc.css"')
      .replace('data-wasm-opt="z"', 'data-wasm-opt="0"')
      .replace('href="public"', `href="${back('public')}"`);
    target = join(work, 'index.html');
    await writeFile(target, html);
  }
  const command = `. .tools/env.sh && irdoc_wasm trunk build --release --offline --public-url '${publicUrl}' --dist '${dir}' '${target}'`;
  const started = Date.now();
  const log = [];
  const code = await new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => log.push(d));
    child.stderr.on('data', (d) => log.push(d));
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`trunk build failed (${code}):\n${Buffer.concat(log).toString().slice(-4000)}`);
  return { dir, seconds: (Date.now() - started) / 1000 };
}
