// The simulator moves cases on as their roles would, through the same functions the routes use:
// a consultation's 四方共议 step by step before it is resolved, a party-committee case's parts
// claimed and reported by each member unit before it is resolved.
import { describe, expect, it } from 'vitest';
import { fileCase, withCast } from '../../../test/cases.ts';
import { advanceCase } from './simulator.ts';

const t = withCast('10.82.0');

/** Advances the case until it is resolved (or `max` steps pass); returns what each step did. */
async function untilResolved(id: number, max: number): Promise<string[]> {
  const simId = t.cast.users.admin.id;
  const done: string[] = [];
  for (let i = 0; i < max; i++) {
    const status = (await t.db.query<{ status: string }>('SELECT status FROM cases WHERE id = $1', [id])).rows[0].status;
    if (status === 'resolved') break;
    done.push((await advanceCase(t.db, simId, id)).replace(` ${id}`, ''));
  }
  return done;
}

describe('the simulator under 四级联办', () => {
  it('walks a consultation through its 四方共议 before resolving it', async () => {
    const { id } = await fileCase(t.app, t.cast, { category: 'noise' });
    const steps = await untilResolved(id, 15);
    expect(steps).toEqual([
      'accept', 'dispatch', 'claim', 'start',
      'deliberate propose', 'deliberate discuss', 'deliberate review', 'deliberate concur', 'deliberate decide', 'resolve',
    ]);
    const n = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM case_deliberation_steps WHERE case_id = $1', [id])).rows[0].n;
    expect(n).toBe(5);
  });

  it("has every 大党委 unit claim and report its part before resolving a party-committee case", async () => {
    const { id } = await fileCase(t.app, t.cast, { category: 'collective_appeal' });
    const steps = await untilResolved(id, 30);
    const units = (await t.db.query<{ mode: string; reported: boolean }>(
      'SELECT mode, reported_at IS NOT NULL AS reported FROM case_units WHERE case_id = $1', [id])).rows;
    expect(units.length).toBeGreaterThanOrEqual(4);
    expect(units.every((u) => u.mode === 'party_committee' && u.reported)).toBe(true);
    expect(steps.slice(0, 4)).toEqual(['accept', 'dispatch', 'claim', 'start']);
    expect(steps.filter((s) => s === 'part claim')).toHaveLength(units.length);
    expect(steps.filter((s) => s === 'part report')).toHaveLength(units.length);
    expect(steps.at(-1)).toBe('resolve');
  });
});
