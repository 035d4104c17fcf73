import { describe, expect, it } from 'vitest';
import { PlanEditor, assignmentToRecord, createAssignment, latticeGraph } from '@grid-atlas/geodata/plan';
import { baseSignature, loadSession, saveSession, type StorageLike } from './session.ts';

const memory = (): StorageLike & { data: Map<string, string> } => {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
};

const g = latticeGraph(4, 2, () => 5);
const rows = g.ids.map((id, i) => ({ id, grid_id: i % 4 < 2 ? 10 : 11 }));
const start = () => createAssignment(g, Object.fromEntries(rows.map((r) => [r.id, String(r.grid_id)])));

describe('planner session across reloads', () => {
  it('restores the assignment and the undo history for the same starting grids', () => {
    const s = memory();
    const e = new PlanEditor(start());
    expect(e.stroke([3], '10').ok).toBe(true);
    expect(e.stroke([7], '10').ok).toBe(true);
    saveSession(s, 5, baseSignature(rows), e);
    const back = loadSession(s, 5, baseSignature([...rows].reverse()), g, {})!;
    expect(assignmentToRecord(back.assignment)).toEqual(assignmentToRecord(e.assignment));
    expect(back.undo()).toBe(true);
    expect(back.undo()).toBe(true);
    expect(back.undo()).toBe(false);
    expect(assignmentToRecord(back.assignment)).toEqual(assignmentToRecord(start()));
  });

  it('drops a session saved on grids that have changed since', () => {
    const s = memory();
    saveSession(s, 5, baseSignature(rows), new PlanEditor(start()));
    const moved = rows.map((r) => (r.id === 3 ? { ...r, grid_id: 10 } : r));
    expect(loadSession(s, 5, baseSignature(moved), g, {})).toBeNull();
    expect(s.data.size).toBe(0);
    s.setItem('grid-atlas:planner:6', '{not json');
    expect(loadSession(s, 6, baseSignature(rows), g, {})).toBeNull();
  });
});
