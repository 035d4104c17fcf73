// The browser tests' hooks (window.__gridAtlas, client/src/map/testHooks.ts) exist only in the
// test build: the production bundle that `pnpm start` serves must not hand the map to any script.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../server/src/config.ts';

function build(dir: 'dist' | 'dist-test'): string {
  const args = dir === 'dist' ? [] : ['--test-hooks'];
  execFileSync(process.execPath, ['scripts/build-client-if-stale.mjs', ...args], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  const assets = path.join(PROJECT_ROOT, 'client', dir, 'assets');
  return fs.readdirSync(assets).filter((f) => f.endsWith('.js')).map((f) => fs.readFileSync(path.join(assets, f), 'utf8')).join('\n');
}

describe('client bundles', () => {
  it('the production build has no test hooks; the test build has them', () => {
    expect(build('dist')).not.toContain('__gridAtlas');
    expect(build('dist-test')).toContain('__gridAtlas');
  }, 600_000);
});
