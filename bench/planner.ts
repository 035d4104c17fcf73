// Planner figures for pnpm bench: the live preview per stroke (what the page runs on every
// paint stroke) and auto-balance, on one community's blocks.
import { autoBalance, PlanEditor, type Assignment } from '../geodata/src/plan/index.ts';
import { createRng } from '../geodata/src/generate/random.ts';

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function plannerFigures(label: string, a: Assignment, add: (what: string, value: string) => void) {
  const g = a.graph;
  // Strokes as a planner paints them: a boundary block and its neighbours in the same grid
  // (up to 1) painted into the adjacent grid. Refused strokes (a grid would split) are timed too:
  // the page pays for the check either way.
  const editor = new PlanEditor(a);
  const rng = createRng(11);
  const times: number[] = [];
  let refused = 0;
  for (let k = 0; k < 3000 && times.length < 2000; k++) {
    const b = rng.int(0, g.n - 1);
    const cur = editor.assignment;
    const from = cur.blockGrid[b];
    let to = -1;
    for (let e = g.adjStart[b]; e < g.adjStart[b + 1]; e++) if (cur.blockGrid[g.adj[e]] !== from) to = cur.blockGrid[g.adj[e]];
    if (to < 0) continue;
    const stroke = [g.ids[b]];
    for (let e = g.adjStart[b]; e < g.adjStart[b + 1] && stroke.length < 2; e++)
      if (cur.blockGrid[g.adj[e]] === from) stroke.push(g.ids[g.adj[e]]);
    const t0 = performance.now();
    const r = editor.stroke(stroke, cur.grids[to]);
    editor.stats();
    times.push(performance.now() - t0);
    if (!r.ok) refused++;
  }
  times.sort((x, y) => x - y);
  add(`planner preview per stroke p50 / p95 (${label}, ${g.n} blocks, ${times.length} strokes, ${refused} refused)`,
    `${percentile(times, 50).toFixed(2)} ms / ${percentile(times, 95).toFixed(2)} ms`);

  const r = autoBalance(a, { seed: 1 });
  add(`auto-balance ${label}: status, max deviation before → after, moved households`,
    `${r.status}, ${r.before.maxDeviationPct.toFixed(1)}% → ${r.after.maxDeviationPct.toFixed(1)}%, ${r.movedHouseholds} of ${r.before.households}`);
  add(`auto-balance ${label}: time, ReCom steps, steps/s`,
    `${r.elapsedMs.toFixed(0)} ms, ${r.steps}, ${r.stepsPerSecond.toFixed(0)}/s`);
  return r;
}
