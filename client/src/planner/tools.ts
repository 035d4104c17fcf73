// The planner's map tools (paint, pan, cut, edge redraw) as objects with activate()/deactivate(),
// one active at a time, held by a small manager: switching tools deactivates the old one before
// activating the new, so no tool has to know the others (three mode flags each switching the
// others off by watchers did that before, and every new tool had to join all the watchers).
// Kept free of Vue and MapLibre, so the switching is tested on its own.
import type { BlockGraph } from '@grid-atlas/geodata/plan';

export type ToolName = 'paint' | 'pan' | 'cut' | 'edge';

export interface Tool {
  activate(): void;
  deactivate(): void;
  /** A click on a block (block index) while this tool is active; false: the page's default (pick the block's grid). */
  pick?(block: number): boolean;
  /** A finished drawn line while this tool is active. */
  line?(coordinates: [number, number][]): void;
}

export class ToolManager<N extends string = ToolName> {
  private current: N;
  private activated = false;

  /** `initial` is the tool held before start(); none is active until then. */
  constructor(private readonly tools: Record<N, Tool>, initial: N, private readonly onChange: (name: N) => void = () => {}) {
    this.current = initial;
  }

  get active(): N {
    return this.current;
  }

  /** Activates the tool held now (the map and its drawing tool exist from here on). */
  start(): void {
    if (this.activated) return;
    this.activated = true;
    this.tools[this.current].activate();
  }

  /** Makes `name` the one active tool; using the active tool again changes nothing. */
  use(name: N): void {
    if (name === this.current) return;
    if (this.activated) this.tools[this.current].deactivate();
    this.current = name;
    this.onChange(name);
    if (this.activated) this.tools[name].activate();
  }

  /** Deactivates the active tool (the page is leaving); use() or start() activates again. */
  stop(): void {
    if (!this.activated) return;
    this.activated = false;
    this.tools[this.current].deactivate();
  }

  pick(block: number): boolean {
    return this.tools[this.current].pick?.(block) ?? false;
  }

  line(coordinates: [number, number][]): void {
    this.tools[this.current].line?.(coordinates);
  }
}

/** Whether blocks a and b (indices) share an edge in the block graph. */
export function neighbours(graph: Pick<BlockGraph, 'adj' | 'adjStart'>, a: number, b: number): boolean {
  for (let k = graph.adjStart[a]; k < graph.adjStart[a + 1]; k++) if (graph.adj[k] === b) return true;
  return false;
}

/**
 * The edge tool's choice of two neighbouring blocks (ids): what a click on block `id` (index `b`)
 * makes of the blocks picked so far. `full`: two are already picked; `same`: the first again;
 * `apart`: not a neighbour of the first.
 */
export function pickEdge(
  graph: Pick<BlockGraph, 'adj' | 'adjStart' | 'indexOf'>,
  picked: readonly number[],
  id: number,
  b: number,
): { ok: true; picked: number[] } | { ok: false; why: 'full' | 'same' | 'apart' } {
  if (picked.length >= 2) return { ok: false, why: 'full' };
  const first = picked[0];
  if (first === id) return { ok: false, why: 'same' };
  if (first !== undefined && !neighbours(graph, graph.indexOf.get(first)!, b)) return { ok: false, why: 'apart' };
  return { ok: true, picked: [...picked, id] };
}
