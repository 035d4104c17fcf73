import { describe, expect, it } from 'vitest';
import { assignmentToRecord, createAssignment } from './assignment.ts';
import { PlanEditor } from './editor.ts';
import { latticeGraph } from './graph.ts';
import { PlanHistory } from './history.ts';

// 10 × 2 lattice: grid "a" the left 5 columns, "b" the right 5
const g = latticeGraph(10, 2, (x) => x + 1);
const base = () => createAssignment(g, Object.fromEntries(g.ids.map((id, i) => [id, i % 10 < 5 ? 'a' : 'b'])));
const col = (x: number) => [x + 1, x + 11];

describe('plan editor: strokes, undo/redo, persistence', () => {
  it('refuses an invalid stroke without recording it', () => {
    const e = new PlanEditor(base());
    const r = e.stroke([6], 'a'); // takes block (5,0) from b: b stays connected through row 1
    expect(r).toMatchObject({ ok: true, changed: 1 });
    const bad = e.stroke([7, 17], 'a'); // column 6 whole: block 16 (5,1) would be cut off from b
    expect(bad.ok).toBe(false);
    expect(bad.report.violations[0]).toMatchObject({ code: 'not_contiguous', grid: 'b' });
    expect(e.history.size).toBe(1);
    expect(e.stats().movedHouseholds).toBe(6);
  });

  it('undoes and redoes 150 steps, statistics following', () => {
    const e = new PlanEditor(base(), { historyLimit: 200 });
    const start = JSON.stringify(assignmentToRecord(e.assignment));
    // move column 5 to a and back 75 times
    for (let k = 0; k < 75; k++) {
      expect(e.stroke(col(5), 'a').ok).toBe(true);
      expect(e.stroke(col(5), 'b').ok).toBe(true);
    }
    expect(e.history.size).toBe(150);
    expect(e.undo()).toBe(true); // column 5 back in a
    expect(e.stats().grids.find((s) => s.key === 'a')!.households).toBe(2 * (1 + 2 + 3 + 4 + 5 + 6));
    expect(e.stats().movedHouseholds).toBe(12);
    for (let k = 1; k < 150; k++) expect(e.undo()).toBe(true);
    expect(e.undo()).toBe(false);
    expect(JSON.stringify(assignmentToRecord(e.assignment))).toBe(start);
    expect(e.stats().movedHouseholds).toBe(0);
    for (let k = 0; k < 150; k++) expect(e.redo()).toBe(true);
    expect(e.redo()).toBe(false);
    expect(JSON.stringify(assignmentToRecord(e.assignment))).toBe(start);
  });

  it('drops the redo tail on a new stroke and keeps at most `limit` steps', () => {
    const h = new PlanHistory(100);
    for (let k = 0; k < 120; k++) h.push({ moves: [[k, 'a', 'b']] });
    expect(h.size).toBe(100);
    let undone = 0;
    while (h.undo()) undone++;
    expect(undone).toBe(100);
    h.redo();
    h.push({ moves: [[1, 'b', 'a']] });
    expect(h.canRedo).toBe(false);
    expect(h.size).toBe(2);
  });

  it('survives JSON (localStorage) with its history, and rejects garbage', () => {
    const e = new PlanEditor(base());
    e.stroke(col(5), 'a');
    expect(e.stroke(col(5), 'new:3').ok).toBe(true);
    e.undo();
    const saved = JSON.stringify(e);
    const back = PlanEditor.fromJSON(g, JSON.parse(saved));
    expect(assignmentToRecord(back.assignment)).toEqual(assignmentToRecord(e.assignment));
    expect(back.stats()).toEqual(e.stats());
    expect(back.redo()).toBe(true);
    expect(back.stats().grids.map((s) => s.key)).toEqual(['a', 'b', 'new:3']);
    expect(back.undo() && back.undo()).toBe(true);
    expect(assignmentToRecord(back.assignment)).toEqual(assignmentToRecord(base()));
    expect(() => PlanEditor.fromJSON(g, { version: 2 })).toThrow(/not a saved plan session/);
    expect(() => PlanHistory.fromJSON({ version: 1, limit: 5, cursor: 9, steps: [] })).toThrow(/not a valid plan history/);
  });

  it('removes a grid into its neighbour as one undoable step, and refuses when none is free', () => {
    const three = createAssignment(g, Object.fromEntries(g.ids.map((id, i) => [id, i % 10 < 3 ? 'a' : i % 10 < 6 ? 'b' : 'c'])));
    const e = new PlanEditor(three);
    e.setLocked('a', true);
    e.setLocked('c', true);
    expect(e.removeGrid('b')).toMatchObject({ ok: false, changed: 0 });
    e.setLocked('c', false);
    expect(e.removeGrid('b')).toMatchObject({ ok: true, changed: 6 });
    expect(e.stats().grids.filter((s) => s.blocks > 0).map((s) => s.key).sort()).toEqual(['a', 'c']);
    expect(e.undo()).toBe(true);
    expect(e.stats().grids.find((s) => s.key === 'b')!.blocks).toBe(6);
  });
});
