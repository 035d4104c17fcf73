// Topological union of polygons that share exact vertices along common edges: the directed segments
// of all rings are collected, each segment that also occurs reversed (an edge shared by two members)
// is cancelled, and the rest is chained into rings. No floating-point overlay is involved, so the
// union's boundary reuses the members' vertices bit for bit.
import { signedArea } from './projection.ts';

type Pt = [number, number];

const key = (p: readonly number[]) => `${p[0]},${p[1]}`;

/**
 * Returns the boundary rings of the union (closed). A single counter-clockwise ring means the union
 * is one simple polygon without holes. Throws if a vertex has two outgoing boundary segments
 * (members touching at a single point), since such a boundary is not a simple ring.
 */
export function unionRings(rings: readonly (readonly Pt[])[]): Pt[][] {
  const segs = new Map<string, { a: Pt; b: Pt; n: number }>();
  for (const ring of rings) {
    for (let k = 0; k < ring.length - 1; k++) {
      const a = ring[k];
      const b = ring[k + 1];
      const fwd = `${key(a)}>${key(b)}`;
      const rev = `${key(b)}>${key(a)}`;
      const r = segs.get(rev);
      if (r) {
        if (--r.n === 0) segs.delete(rev);
      } else {
        const f = segs.get(fwd);
        if (f) f.n++;
        else segs.set(fwd, { a, b, n: 1 });
      }
    }
  }
  const outgoing = new Map<string, Pt[]>();
  for (const { a, b, n } of segs.values()) {
    if (n !== 1) throw new Error('unionRings: duplicated segment (overlapping members)');
    const k = key(a);
    const list = outgoing.get(k);
    if (list) list.push(b);
    else outgoing.set(k, [b]);
  }
  for (const [k, list] of outgoing) {
    if (list.length !== 1) throw new Error(`unionRings: boundary touches itself at ${k}`);
  }
  const out: Pt[][] = [];
  const used = new Set<string>();
  // start each ring at its lowest vertex (deterministic regardless of map order)
  const starts = [...outgoing.keys()].sort();
  for (const s of starts) {
    if (used.has(s)) continue;
    const ring: Pt[] = [];
    let k = s;
    let p = s.split(',').map(Number) as Pt;
    while (!used.has(k)) {
      used.add(k);
      ring.push(p);
      p = outgoing.get(k)![0];
      k = key(p);
    }
    if (k !== s) throw new Error('unionRings: open chain');
    ring.push(ring[0]);
    out.push(ring);
  }
  return out;
}

/** Union that must be exactly one counter-clockwise ring; otherwise describes why not. */
export function unionSingleRing(rings: readonly (readonly Pt[])[]): Pt[] | string {
  let result: Pt[][];
  try {
    result = unionRings(rings);
  } catch (e) {
    return (e as Error).message;
  }
  if (result.length !== 1) return `${result.length} rings (hole or disconnected part)`;
  if (signedArea(result[0]) <= 0) return 'clockwise outer ring';
  return result[0];
}
