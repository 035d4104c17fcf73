// `pnpm start`: builds the client when stale (scripts/build-client-if-stale.mjs) alongside the
// server's start instead of before it: on a first start the build (seconds) runs while the
// server opens and seeds its database (longer). The build replaces client/dist only when
// complete, so the server never serves half of one. A failed build stops the server too.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const t0 = performance.now();

const build = spawn(process.execPath, [path.join(root, 'scripts/build-client-if-stale.mjs')], { cwd: root, stdio: 'inherit' });
const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: path.join(root, 'server'), stdio: 'inherit' });

build.on('exit', (code, signal) => {
  if (code === 0) {
    console.log(`[grid-atlas] step client build: ${Math.round(performance.now() - t0)} ms`);
    return;
  }
  console.error(`[grid-atlas] the client build failed (${signal ?? `exit ${code}`}); stopping the server`);
  if (server.exitCode === null) server.kill('SIGTERM');
  process.exitCode = 1;
});
server.on('exit', (code, signal) => {
  if (build.exitCode === null) build.kill('SIGTERM');
  process.exitCode ||= code ?? (signal ? 1 : 0);
});
// Ctrl-C reaches both children from the terminal; SIGTERM (a service manager) is passed on.
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (server.exitCode === null) server.kill(sig);
    if (build.exitCode === null) build.kill(sig);
  });
}
