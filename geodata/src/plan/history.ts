// Undo/redo of plan edits. Steps name blocks by id and grids by key (not indices), so the
// history survives JSON and a page reload (localStorage) as long as the blocks are the same.
import type { GridKey } from './assignment.ts';

/** One edit: each moved block with the grid it left and the grid it joined. */
export interface HistoryStep {
  label?: string;
  moves: [block: number, from: GridKey, to: GridKey][];
}

export interface SerializedHistory {
  version: 1;
  limit: number;
  /** number of steps applied (the rest can be redone) */
  cursor: number;
  steps: HistoryStep[];
}

export class PlanHistory {
  private steps: HistoryStep[] = [];
  private cursor = 0;

  constructor(readonly limit = 200) {
    if (!(limit >= 1)) throw new Error('history limit must be at least 1');
  }

  get canUndo(): boolean {
    return this.cursor > 0;
  }

  get canRedo(): boolean {
    return this.cursor < this.steps.length;
  }

  get size(): number {
    return this.steps.length;
  }

  /** Records an applied step; whatever could have been redone is dropped, the oldest beyond the limit too. */
  push(step: HistoryStep) {
    this.steps.length = this.cursor;
    this.steps.push(step);
    if (this.steps.length > this.limit) this.steps.splice(0, this.steps.length - this.limit);
    this.cursor = this.steps.length;
  }

  /** The step to reverse, or undefined when there is none. */
  undo(): HistoryStep | undefined {
    return this.cursor > 0 ? this.steps[--this.cursor] : undefined;
  }

  /** The step to apply again, or undefined when there is none. */
  redo(): HistoryStep | undefined {
    return this.cursor < this.steps.length ? this.steps[this.cursor++] : undefined;
  }

  toJSON(): SerializedHistory {
    return { version: 1, limit: this.limit, cursor: this.cursor, steps: this.steps };
  }

  static fromJSON(raw: unknown): PlanHistory {
    const s = raw as SerializedHistory;
    const stepOk = (st: HistoryStep) =>
      st && Array.isArray(st.moves) &&
      st.moves.every((m) => Array.isArray(m) && m.length === 3 && typeof m[0] === 'number' && typeof m[1] === 'string' && typeof m[2] === 'string');
    if (!s || s.version !== 1 || !Array.isArray(s.steps) || !s.steps.every(stepOk) ||
        !Number.isInteger(s.cursor) || s.cursor < 0 || s.cursor > s.steps.length)
      throw new Error('不是有效的编辑历史 (not a valid plan history)');
    const h = new PlanHistory(Math.max(1, s.limit | 0 || 200, s.steps.length));
    h.steps = s.steps.map((st) => ({ ...(st.label !== undefined ? { label: String(st.label) } : {}), moves: st.moves.map((m) => [m[0], m[1], m[2]]) }));
    h.cursor = s.cursor;
    return h;
  }
}
