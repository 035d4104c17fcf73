// The KPI cache on its own: an answer is reused only while no case changed and it is young;
// questions asked at once share one computation; a failure is not kept.
import { describe, expect, it } from 'vitest';
import type { Queryable } from '../db/index.ts';
import { KpiCache } from './cache.ts';

function setup(ttl = 1000, max = 1000) {
  const state = { version: 1, now: 0, computed: 0 };
  const db = { query: async () => ({ rows: [{ v: String(state.version) }] }) } as unknown as Queryable;
  const cache = new KpiCache<number>(db, ttl, max, () => state.now);
  const compute = async () => ++state.computed;
  return { state, cache, compute };
}

describe('KpiCache', () => {
  it('reuses an answer while no case changed and it is younger than the TTL', async () => {
    const { state, cache, compute } = setup();
    expect(await cache.get('a', compute)).toBe(1);
    state.now = 999;
    expect(await cache.get('a', compute)).toBe(1);
    expect(await cache.get('b', compute)).toBe(2); // another question
    state.version = 2; // a case changed
    expect(await cache.get('a', compute)).toBe(3);
    state.now = 2000; // time passed (deadlines run out without events)
    expect(await cache.get('a', compute)).toBe(4);
  });

  it('shares one computation between identical questions asked at once', async () => {
    const { state, cache } = setup();
    let release!: () => void;
    const slow = () => new Promise<number>((resolve) => { release = () => resolve(++state.computed); });
    const both = Promise.all([cache.get('k', slow), cache.get('k', slow)]);
    await new Promise((r) => setTimeout(r, 10));
    release();
    expect(await both).toEqual([1, 1]);
    expect(state.computed).toBe(1);
  });

  it('does not keep a failure, and forgets the oldest beyond its size', async () => {
    const { state, cache, compute } = setup(1000, 2);
    await expect(cache.get('x', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(await cache.get('x', compute)).toBe(1);
    await cache.get('y', compute);
    await cache.get('z', compute);
    expect(state.computed).toBe(3);
    expect(await cache.get('x', compute)).toBe(4); // evicted
  });
});
