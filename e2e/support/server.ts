// Starts the real server entry point (server/src/main.ts) as a child process, the way
// `pnpm start` does, and waits for its "ready" line.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../server/src/config.ts';

export interface RunningServer {
  url: string;
  logs: string[];
  child: ChildProcess;
  /** SIGTERM, then wait for a clean exit; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export async function startServer(env: Record<string, string>, timeoutMs = 200_000): Promise<RunningServer> {
  // PORT=0: the server takes a port the kernel gives it and names it in its ready line. A port
  // picked here and handed over would be free only until the server, a minute later (seeding an
  // empty data directory), listens on it; another test may have taken it by then.
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'node_modules/tsx/dist/cli.mjs'), 'server/src/main.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATABASE_URL: '', GRID_ATLAS_EMBEDDED_URL: '', ...env, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  let port = 0;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server not ready in ${timeoutMs} ms:\n${logs.join('')}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      logs.push(chunk.toString());
      const ready = /ready: http:\/\/[^:\s]+:(\d+)/.exec(logs.join(''));
      if (ready) {
        port = Number(ready[1]);
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready:\n${logs.join('')}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    logs,
    child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
