import { describe, expect, it } from 'vitest';
import { latticeGraph } from '@grid-atlas/geodata/plan';
import { ToolManager, neighbours, pickEdge, type Tool, type ToolName } from './tools.ts';

/** Tools that write what happens to them into one log. */
function logged() {
  const log: string[] = [];
  const tool = (name: string, extra: Partial<Tool> = {}): Tool => ({
    activate: () => void log.push(`+${name}`),
    deactivate: () => void log.push(`-${name}`),
    ...extra,
  });
  const tools: Record<ToolName, Tool> = {
    paint: tool('paint'),
    pan: tool('pan'),
    cut: tool('cut', { line: (c) => void log.push(`cut line ${c.length}`) }),
    edge: tool('edge', { pick: (b) => (log.push(`edge pick ${b}`), true), line: (c) => void log.push(`edge line ${c.length}`) }),
  };
  return { log, tools };
}

describe('the planner tool manager', () => {
  it('keeps one tool active: the old one is deactivated before the new one is activated', () => {
    const { log, tools } = logged();
    const changes: ToolName[] = [];
    const m = new ToolManager<ToolName>(tools, 'paint', (n) => changes.push(n));
    m.start();
    m.use('cut');
    m.use('edge');
    m.use('paint');
    expect(log).toEqual(['+paint', '-paint', '+cut', '-cut', '+edge', '-edge', '+paint']);
    expect(changes).toEqual(['cut', 'edge', 'paint']);
    expect(m.active).toBe('paint');
  });

  it('does nothing when the active tool is chosen again', () => {
    const { log, tools } = logged();
    const m = new ToolManager<ToolName>(tools, 'paint');
    m.start();
    m.use('paint');
    m.start();
    expect(log).toEqual(['+paint']);
  });

  it('activates nothing before start, then the tool chosen meanwhile; stop deactivates it', () => {
    const { log, tools } = logged();
    const m = new ToolManager<ToolName>(tools, 'paint');
    m.use('pan');
    expect(log).toEqual([]);
    m.start();
    m.stop();
    m.stop();
    expect(log).toEqual(['+pan', '-pan']);
  });

  it('hands clicks and drawn lines to the active tool only', () => {
    const { log, tools } = logged();
    const m = new ToolManager<ToolName>(tools, 'paint');
    m.start();
    // paint takes no click: the page picks the block's grid
    expect(m.pick(4)).toBe(false);
    m.line([[0, 0], [1, 1]]);
    m.use('edge');
    expect(m.pick(4)).toBe(true);
    m.line([[0, 0], [1, 1], [2, 2]]);
    m.use('cut');
    expect(m.pick(5)).toBe(false);
    m.line([[0, 0], [1, 1]]);
    expect(log.filter((l) => !/^[+-]/.test(l))).toEqual(['edge pick 4', 'edge line 3', 'cut line 2']);
  });
});

describe("the edge tool's pick of two neighbouring blocks", () => {
  // 3 × 2 lattice: index = y * 3 + x; ids are the lattice's own
  const g = latticeGraph(3, 2, () => 1);
  const id = (b: number) => g.ids[b];

  it('knows which blocks share an edge', () => {
    expect(neighbours(g, 0, 1)).toBe(true);
    expect(neighbours(g, 0, 3)).toBe(true);
    expect(neighbours(g, 0, 4)).toBe(false);
    expect(neighbours(g, 0, 2)).toBe(false);
  });

  it('takes a first block, then a neighbour of it, then no more', () => {
    const one = pickEdge(g, [], id(0), 0);
    expect(one).toEqual({ ok: true, picked: [id(0)] });
    const two = pickEdge(g, [id(0)], id(1), 1);
    expect(two).toEqual({ ok: true, picked: [id(0), id(1)] });
    expect(pickEdge(g, [id(0), id(1)], id(3), 3)).toEqual({ ok: false, why: 'full' });
  });

  it('refuses the first block again and a block that does not touch the first', () => {
    expect(pickEdge(g, [id(0)], id(0), 0)).toEqual({ ok: false, why: 'same' });
    expect(pickEdge(g, [id(0)], id(4), 4)).toEqual({ ok: false, why: 'apart' });
  });
});
