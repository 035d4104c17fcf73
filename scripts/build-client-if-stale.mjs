// Builds the client when client/dist is missing or older than any client source, so the
// first `pnpm start` builds and later starts go straight to the server. Then writes .gz
// siblings of the built assets, which the server sends to browsers that accept gzip.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const client = path.join(root, 'client');
const dist = path.join(client, 'dist');
const stamp = path.join(dist, '.build-stamp');

function newestMtime(p) {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of fs.readdirSync(p)) {
    if (name === 'node_modules' || name === 'dist') continue;
    newest = Math.max(newest, newestMtime(path.join(p, name)));
  }
  return newest;
}

const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
if (built >= newestMtime(client)) {
  console.log('[grid-atlas] client build is up to date');
} else {
  console.log('[grid-atlas] building the client (first start, or sources changed)…');
  // Vite directly, not through npx/pnpm: this also runs from tests, where npx may not fetch.
  execSync(`"${process.execPath}" node_modules/vite/bin/vite.js build`, { cwd: client, stdio: 'inherit' });
  const assets = path.join(dist, 'assets');
  for (const name of fs.existsSync(assets) ? fs.readdirSync(assets) : []) {
    if (/\.(js|css|svg|json|wasm)$/.test(name)) {
      const file = path.join(assets, name);
      fs.writeFileSync(`${file}.gz`, gzipSync(fs.readFileSync(file), { level: 9 }));
    }
  }
  fs.writeFileSync(stamp, new Date().toISOString());
}
