// The run command's path on a fresh machine: an empty data directory is migrated and
// seeded on the first start; the second start reopens it; SIGTERM closes it cleanly.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startServer } from './support/server.ts';
import { signIn } from '../test/auth.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'grid-atlas-start-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/**
 * The steps the server's machine-readable "start-steps" line names, in order, then those of its
 * "history-steps" line (the demo history, written after listening) when there is one.
 */
function startSteps(logs: string[]): string[] {
  const text = logs.join('');
  const line = /\[grid-atlas\] start-steps (\{.*\})/.exec(text);
  expect(line, 'start-steps line').not.toBeNull();
  const history = /\[grid-atlas\] history-steps (\{.*\})/.exec(text);
  const steps = [line![1], ...(history ? [history[1]] : [])].flatMap((json) => (JSON.parse(json) as { steps: { step: string; ms: number }[] }).steps);
  for (const s of steps) expect(Number.isInteger(s.ms) && s.ms >= 0, s.step).toBe(true);
  return steps.map((s) => s.step);
}

/** Waits until /api/health says the demo history is written; the server answers meanwhile. */
async function historyReady(url: string, logs: string[]) {
  for (let i = 0; i < 600; i++) {
    const h = await health(url);
    expect(['filling', 'ready'], 'history state').toContain(h.history);
    // Its log line is printed before the state turns 'ready', but reaches this process by a pipe
    // that may lag the HTTP answer: it gets a few seconds more.
    if (h.history === 'ready') {
      for (let j = 0; j < 40 && !logs.join('').includes('history-steps'); j++) await new Promise((r) => setTimeout(r, 250));
      expect(logs.join('')).toMatch(/history-steps/);
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the history was not written in time:\n${logs.join('')}`);
}

async function health(url: string) {
  const res = await fetch(`${url}/api/health`);
  expect(res.status).toBe(200);
  return res.json();
}

// It starts its own server on its own data directory and never touches the test run's database,
// so the run against a real server (DATABASE_URL) leaves it to the embedded run.
describe.skipIf(inject('db').kind !== 'embedded')('pnpm start on the embedded database', () => {
  it('seeds an empty data directory, then reopens it on the next start', async () => {
    const env = { GRID_ATLAS_DATA_DIR: dataDir };
    const first = await startServer(env, 280_000);
    try {
      const h = await health(first.url);
      expect(h).toMatchObject({ db: 'embedded', dataset: 'enshi-synthetic' });
      expect(h.counts).toMatchObject({ subdistricts: 5, communities: 33, grids: 359, households: 95_402 });
      expect(first.logs.join('')).toMatch(/载入住户/);
      await historyReady(first.url, first.logs);
      // The start log names each step with its time, once as a line of its own and once in the
      // start-steps line that pnpm bench reads.
      const coldSteps = startSteps(first.logs);
      expect(coldSteps).toEqual(expect.arrayContaining([
        'load code (start)', 'load code (server, alongside the open)', 'open database', 'open database: PGlite + PostGIS', 'open database: CREATE EXTENSION postgis', 'migrate', 'case event months', 'seed',
        'seed: generate population and blocks (alongside the open)', 'seed: geography', 'seed: households', 'seed: cadres', 'seed: links', 'seed: blocks',
        'seed: statistics (ANALYZE)', 'accounts', 'case history', 'needs history', 'build app', 'listen',
      ]));
      for (const s of coldSteps) expect(first.logs.join('')).toContain(`step ${s}: `);
      // The demo's needs list has a history: fulfilled, declined, open and stalled needs.
      const api = { request: (p: string, init?: RequestInit) => fetch(`${first.url}${p}`, init) };
      const leader = await signIn(api, 'leader');
      const { communities } = await (await api.request('/api/needs/summary', { headers: leader.headers })).json();
      const sum = (k: string) => communities.reduce((s: number, c: any) => s + c[k], 0);
      expect(sum('total')).toBe(330);
      // The blocks (derived in JavaScript on a fresh start) hold every household of their community.
      const planner = await signIn(api, 'planner');
      const community = (await (await api.request('/api/communities', { headers: planner.headers })).json()).features[0].properties;
      const blocks = await (await api.request(`/api/blocks?community=${community.id}`, { headers: planner.headers })).json();
      expect(blocks.features.length).toBeGreaterThan(3);
      expect(blocks.features.reduce((s: number, f: any) => s + f.properties.households, 0)).toBe(community.households);
      for (const k of ['fulfilled', 'declined', 'open', 'stalled']) expect(sum(k), k).toBeGreaterThan(0);
      // ...and so has the case history: closed, open, and open past their deadline (stalled at the city).
      const kpis = await (await api.request('/api/kpis?level=city', { headers: leader.headers })).json();
      expect(kpis.total.cases).toBeGreaterThan(1000);
      expect(kpis.total.open).toBeGreaterThan(0);
      expect(kpis.total.overdue).toBeGreaterThan(0);
      // A second server on the same directory refuses instead of corrupting it.
      await expect(startServer(env, 60_000)).rejects.toThrow(/正被进程|in use/);
    } finally {
      expect(await first.stop()).toBe(0);
    }
    expect(fs.existsSync(path.join(dataDir, 'grid-atlas.lock'))).toBe(false);

    const second = await startServer(env, 120_000);
    try {
      expect(second.logs.join('')).not.toMatch(/载入住户/);
      const warmSteps = startSteps(second.logs);
      expect(warmSteps).toEqual(expect.arrayContaining(['open database', 'migrate', 'seed', 'accounts', 'listen']));
      expect(warmSteps.filter((s) => s.startsWith('seed: ') || s.includes('CREATE EXTENSION'))).toEqual([]);
      // The second start finds the history written: ready at once, and no history step.
      expect(await health(second.url)).toMatchObject({ history: 'ready', counts: { households: 95_402 } });
      expect(second.logs.join('')).not.toMatch(/history-steps/);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  }, 420_000);
});
