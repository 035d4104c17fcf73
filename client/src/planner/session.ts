// The planner's editing session survives a page reload: the editor (current assignment and its
// undo/redo history) is kept in localStorage per community, together with a signature of the
// grids it started from. When the grids changed since (a plan was applied, by anyone), the saved
// session no longer describes them and is dropped rather than replayed onto other grids.
import { PlanEditor, type BlockGraph, type EditorOptions } from '@grid-atlas/geodata/plan';

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const key = (community: number) => `grid-atlas:planner:${community}`;

/** FNV-1a over "block:grid;" pairs in block order: equal exactly when the starting grids are. */
export function baseSignature(blocks: readonly { id: number; grid_id: number | null }[]): string {
  let h = 0x811c9dc5;
  const sorted = [...blocks].sort((x, y) => x.id - y.id);
  for (const b of sorted) {
    const s = `${b.id}:${b.grid_id ?? '-'};`;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return `${sorted.length}-${h.toString(16)}`;
}

export function saveSession(storage: StorageLike, community: number, signature: string, editor: PlanEditor): void {
  try {
    storage.setItem(key(community), JSON.stringify({ signature, editor: editor.toJSON() }));
  } catch {
    // Storage full or disabled (private mode): editing goes on, only the reload safety is lost.
  }
}

/** The saved editor for these starting grids, or null (none, another start, or unreadable). */
export function loadSession(storage: StorageLike, community: number, signature: string, graph: BlockGraph, options: EditorOptions): PlanEditor | null {
  const raw = storage.getItem(key(community));
  if (!raw) return null;
  try {
    const saved = JSON.parse(raw) as { signature?: string; editor?: unknown };
    if (saved.signature !== signature) {
      storage.removeItem(key(community));
      return null;
    }
    return PlanEditor.fromJSON(graph, saved.editor, options);
  } catch {
    storage.removeItem(key(community));
    return null;
  }
}

export function clearSession(storage: StorageLike, community: number): void {
  storage.removeItem(key(community));
}
