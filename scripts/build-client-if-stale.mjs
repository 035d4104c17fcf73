// Builds the client when client/dist is missing or older than any client source, so the
// first `pnpm start` builds and later starts go straight to the server. Then writes .gz
// siblings of the built assets, which the server sends to browsers that accept gzip.
//
// The build goes to a folder of its own and replaces the old one only when complete (gzip
// siblings and stamp included), so a server started alongside it (scripts/start.mjs) never
// serves a mix of two builds; between the two renames that swap them there is, for an instant,
// no build at all (an asset asked for then is a 404 the browser retries on reload).
//
// `--test-hooks` builds the browser tests' variant instead, into client/dist-test with
// VITE_TEST_HOOKS=1 (client/src/map/testHooks.ts); the production build in client/dist never
// contains those hooks.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const client = path.join(root, 'client');
const testHooks = process.argv.includes('--test-hooks');
const dist = path.join(client, testHooks ? 'dist-test' : 'dist');
const stamp = path.join(dist, '.build-stamp');

function newestMtime(p) {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  // A folder's own time changes when an entry is added, removed or renamed in it (a deleted
  // source counts). Not the client folder's own: each build renames its output into it, which
  // would make the other variant (dist or dist-test) look stale after every build.
  let newest = p === client ? 0 : st.mtimeMs;
  for (const name of fs.readdirSync(p)) {
    // Build outputs (dist, dist-test and the folders being built, all at the client's top
    // level) are not sources; a source such as src/map/distance.ts is.
    if (name === 'node_modules' || (p === client && name.startsWith('dist'))) continue;
    newest = Math.max(newest, newestMtime(path.join(p, name)));
  }
  return newest;
}

const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
if (built >= newestMtime(client)) {
  console.log(`[grid-atlas] client build${testHooks ? ' (with test hooks)' : ''} is up to date`);
} else {
  console.log(`[grid-atlas] building the client${testHooks ? ' with test hooks' : ''} (first start, or sources changed)…`);
  // Vite directly, not through npx/pnpm: this also runs from tests, where npx may not fetch.
  // The flag is set (or cleared) explicitly so that an exported VITE_TEST_HOOKS cannot leak
  // the hooks into a production build.
  const building = `${dist}.building-${process.pid}`;
  try {
    // --bypass-lock: Vite 8 refuses a second build of the same project while one runs, but each
    // build here writes a folder of its own (the pid in its name) and swaps it in whole, so the
    // two variants (or two test runs) may build at once.
    execSync(`"${process.execPath}" node_modules/vite/bin/vite.js build --bypass-lock --outDir ${path.basename(building)}`, {
      cwd: client,
      stdio: 'inherit',
      env: { ...process.env, VITE_TEST_HOOKS: testHooks ? '1' : '' },
    });
    const assets = path.join(building, 'assets');
    for (const name of fs.existsSync(assets) ? fs.readdirSync(assets) : []) {
      if (/\.(js|css|svg|json|wasm)$/.test(name)) {
        const file = path.join(assets, name);
        fs.writeFileSync(`${file}.gz`, gzipSync(fs.readFileSync(file), { level: 9 }));
      }
    }
    fs.writeFileSync(path.join(building, '.build-stamp'), new Date().toISOString());
    // Two renames: the old build is moved aside whole, then the new one takes its name. A build
    // of the same variant finishing at the same moment may have put its own there in between:
    // move that aside too and try again (Linux renames no folder onto a non-empty one).
    const old = `${dist}.old-${process.pid}`;
    for (let attempt = 0; ; attempt++) {
      if (fs.existsSync(dist)) fs.renameSync(dist, `${old}-${attempt}`);
      try {
        fs.renameSync(building, dist);
        break;
      } catch (err) {
        if (attempt >= 3 || !['ENOTEMPTY', 'EEXIST'].includes(err.code)) throw err;
      }
    }
    for (const name of fs.readdirSync(client)) {
      if (name.startsWith(`${path.basename(dist)}.old-${process.pid}-`)) fs.rmSync(path.join(client, name), { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(building, { recursive: true, force: true });
  }
}
