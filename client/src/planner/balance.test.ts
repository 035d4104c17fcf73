// The page ↔ worker protocol, with the worker's handler running in-process behind a stand-in
// Worker that clones every message as postMessage would.
import { describe, expect, it } from 'vitest';
import { assignmentToRecord, autoBalance, checkAssignment, createAssignment, latticeGraph, type BalanceProgress } from '@grid-atlas/geodata/plan';
import { BalanceClient, type WorkerLike } from './balance.ts';
import { createBalanceHandler, type FromWorker, type ToWorker } from './balance-protocol.ts';

function fakeWorker() {
  const listeners: ((e: { data: FromWorker }) => void)[] = [];
  const sent: ToWorker[] = [];
  let terminated = false;
  const handler = createBalanceHandler((m) => {
    const data = structuredClone(m);
    setTimeout(() => !terminated && listeners.forEach((fn) => fn({ data })), 0);
  });
  const worker: WorkerLike = {
    postMessage: (m) => {
      const data = structuredClone(m);
      sent.push(data);
      setTimeout(() => void handler(data), 0);
    },
    addEventListener: (_type, fn) => listeners.push(fn),
    terminate: () => {
      terminated = true;
    },
  };
  return { worker, sent };
}

// 16 × 8 lattice in 4 vertical stripes 1, 3, 5 and 7 columns wide
const g = latticeGraph(16, 8, (x, y) => 3 + ((x * 5 + y * 3) % 7));
const widths = [1, 3, 5, 7];
const stripe = (x: number) => {
  let acc = 0, k = 0;
  while (x >= acc + widths[k]) acc += widths[k++];
  return `${k + 1}`;
};
const unbalanced = () => createAssignment(g, Object.fromEntries(g.ids.map((id, i) => [id, stripe(i % 16)])));

describe('auto-balance worker protocol', () => {
  it('runs, reports progress and returns the same plan as a direct run; sends the graph once', async () => {
    const { worker, sent } = fakeWorker();
    const client = new BalanceClient(worker);
    const progress: BalanceProgress[] = [];
    const r = await client.start(unbalanced(), { seed: 4, progressEvery: 50 }, (p) => progress.push(p)).result;
    expect(r.status).toBe('ok');
    expect(r.assignment.graph).toBe(g);
    expect(checkAssignment(r.assignment).ok).toBe(true);
    expect(assignmentToRecord(r.assignment)).toEqual(assignmentToRecord(autoBalance(unbalanced(), { seed: 4 }).assignment));
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)!.phase).toBe('done');
    const again = await client.start(unbalanced(), { seed: 4 }).result;
    expect(assignmentToRecord(again.assignment)).toEqual(assignmentToRecord(r.assignment));
    const starts = sent.filter((m) => m.type === 'start');
    expect(starts.map((m) => m.type === 'start' && m.graph !== undefined)).toEqual([true, false]);
  });

  it('cancels a run: the answer is the best plan so far, still valid', async () => {
    const { worker } = fakeWorker();
    const client = new BalanceClient(worker);
    let run: ReturnType<BalanceClient['start']> | undefined = undefined;
    run = client.start(unbalanced(), { seed: 1, maxSteps: 1_000_000, tolerance: 0.0001, progressEvery: 20 }, (p) => {
      if (p.phase === 'recom' && p.steps >= 40) run!.cancel();
    });
    const r = await run.result;
    expect(r.status).toBe('cancelled');
    expect(r.steps).toBeLessThan(1_000_000);
    expect(checkAssignment(r.assignment).ok).toBe(true);
  });

  it('answers an impossible request with the reasons, and a broken one with an error', async () => {
    const { worker } = fakeWorker();
    const client = new BalanceClient(worker);
    const r = await client.start(unbalanced(), { grids: 0 }).result;
    expect(r.status).toBe('impossible');
    expect(r.reasons[0].code).toBe('bad_grid_count');
    const handlerPosts: FromWorker[] = [];
    const handler = createBalanceHandler((m) => handlerPosts.push(m));
    await handler({ type: 'start', id: 9, assignment: { grids: [], blocks: {}, locked: [] }, options: {} });
    expect(handlerPosts).toEqual([{ type: 'error', id: 9, message: expect.stringContaining('no block graph'), key: 'noGraph' }]);
    client.dispose();
  });
});
