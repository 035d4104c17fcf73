// `pnpm dev`: the API server on :8080 and Vite's dev server (hot reload, proxies /api).
import { spawn } from 'node:child_process';

const procs = [
  spawn('npx', ['pnpm@10', '--filter', '@grid-atlas/server', 'start'], { stdio: 'inherit', env: { ...process.env, PORT: process.env.PORT ?? '8080' } }),
  spawn('npx', ['pnpm@10', '--filter', '@grid-atlas/client', 'dev'], { stdio: 'inherit' }),
];
const stop = () => procs.forEach((p) => p.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
procs.forEach((p) => p.on('exit', stop));
