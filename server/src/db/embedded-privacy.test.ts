// The embedded database is private to the server: its port asks for the password kept in
// the data directory, and the data directory is readable by this OS user only.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SECRET_FILE, startEmbedded, type EmbeddedDatabase } from './embedded.ts';

let embedded: EmbeddedDatabase;
let dir: string;
// It starts its own embedded database and never touches the test run's, so the run against a real
// server (DATABASE_URL) leaves it to the embedded run.
const embeddedRun = inject('db').kind === 'embedded';

beforeAll(async () => {
  if (!embeddedRun) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grid-atlas-privacy-'));
  // As an earlier version left it: world-readable directory and files.
  fs.chmodSync(dir, 0o755);
  fs.writeFileSync(path.join(dir, 'left-over.txt'), 'x', { mode: 0o644 });
  fs.chmodSync(path.join(dir, 'left-over.txt'), 0o644);
  embedded = await startEmbedded({ dataDir: dir });
});
afterAll(async () => {
  await embedded?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const withPassword = (password: string | null) => {
  const url = new URL(embedded.connectionString);
  if (password === null) url.password = '';
  else url.password = password;
  return url.toString();
};

async function tryQuery(connectionString: string) {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 10_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.query('SELECT current_user AS who')).rows[0].who as string;
  } finally {
    await client.end().catch(() => {});
  }
}

describe.skipIf(!embeddedRun)('embedded database port', () => {
  it('serves the server, whose URL carries the password', async () => {
    expect(new URL(embedded.connectionString).password).toMatch(/^[\w-]{40,}$/);
    expect(await tryQuery(embedded.connectionString)).toBe('postgres');
  });

  it('refuses a connection without the password or with a wrong one', async () => {
    await expect(tryQuery(withPassword(null))).rejects.toThrow(/password/i);
    await expect(tryQuery(withPassword('guessed-password-0000000000000000000000000'))).rejects.toThrow(/password authentication failed/);
  });

  it('answers a raw startup message with a password request, never a session', async () => {
    const { port } = new URL(embedded.connectionString);
    const reply = await new Promise<Buffer>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => {
        const params = Buffer.from('user\0postgres\0database\0postgres\0\0');
        const head = Buffer.alloc(8);
        head.writeInt32BE(8 + params.length, 0);
        head.writeInt32BE(196608, 4);
        socket.write(Buffer.concat([head, params]));
        // Then, without a password, a query: it must not run.
        const q = Buffer.from('SELECT 1\0');
        const qh = Buffer.alloc(5);
        qh.write('Q', 0);
        qh.writeInt32BE(4 + q.length, 1);
        socket.write(Buffer.concat([qh, q]));
      });
      const chunks: Buffer[] = [];
      socket.on('data', (c) => chunks.push(c));
      socket.on('close', () => resolve(Buffer.concat(chunks)));
      socket.on('error', reject);
      setTimeout(() => socket.destroy(), 3000);
    });
    expect(String.fromCharCode(reply[0])).toBe('R');
    expect(reply.readInt32BE(5)).toBe(3); // AuthenticationCleartextPassword, not AuthenticationOk (0)
    // Only an ErrorResponse may follow: no RowDescription, no DataRow, no ReadyForQuery.
    const rest = reply.subarray(9);
    expect(rest.length === 0 || String.fromCharCode(rest[0]) === 'E').toBe(true);
    expect(rest.includes(Buffer.from('Z\0\0\0\x05'))).toBe(false);
  });
});

describe.skipIf(!embeddedRun)('embedded data directory', () => {
  it('is 0700 with 0600 files, the password file and the write-ahead log included', async () => {
    const client = new pg.Client({ connectionString: embedded.connectionString });
    await client.connect();
    await client.query('CREATE TABLE privacy_probe (x int); INSERT INTO privacy_probe SELECT generate_series(1, 1000); CHECKPOINT');
    await client.end();
    const loose: string[] = [];
    let files = 0;
    const walk = (p: string) => {
      const st = fs.statSync(p);
      if (st.mode & 0o077) loose.push(`${p} ${(st.mode & 0o777).toString(8)}`);
      if (st.isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
      else files++;
    };
    walk(dir);
    expect(loose).toEqual([]);
    expect(files).toBeGreaterThan(100);
    expect(fs.statSync(path.join(dir, SECRET_FILE)).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.join(dir, 'pgdata', 'pg_wal')).length).toBeGreaterThan(0);
  });
});
