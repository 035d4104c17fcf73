// The message protocol between the planner page and the auto-balance Web Worker, and the
// worker's side of it as a plain function (so it is tested without a real Worker).
import {
  autoBalanceAsync,
  deserializeAssignment,
  graphFromData,
  serializeAssignment,
  type BalanceOptions,
  type BalanceProgress,
  type BalanceResult,
  type BlockGraph,
  type BlockGraphData,
  type SerializedAssignment,
} from '@grid-atlas/geodata/plan';

/** What can cross postMessage: the options without callbacks or signals. */
export type BalanceWorkerOptions = Omit<BalanceOptions, 'onProgress' | 'signal' | 'shouldStop' | 'newGridKey' | 'label'> & {
  /** New grids are keyed "new:<n>" from this number on (default 1). */
  firstNewGridNumber?: number;
  /** The page's name of each grid in the reader's language ("第3网格", "Grid 3"), for the reasons. */
  gridNames?: Record<string, string>;
};

export type ToWorker =
  | {
      type: 'start';
      id: number;
      /** Reuse the graph the worker built for this key (then `graph` may be omitted). */
      graphKey?: string;
      graph?: BlockGraphData;
      assignment: SerializedAssignment;
      options: BalanceWorkerOptions;
    }
  | { type: 'cancel'; id: number };

export type SerializedBalanceResult = Omit<BalanceResult, 'assignment'> & { assignment: SerializedAssignment };

export type FromWorker =
  | { type: 'progress'; id: number; progress: BalanceProgress }
  | { type: 'result'; id: number; result: SerializedBalanceResult }
  | {
      type: 'error';
      id: number;
      /** for logs: the error as thrown (the plan library's are bilingual, "中文 (English)") */
      message: string;
      /** a text of the page's own (planner.balance.<key>), said in the page's language */
      key?: 'noGraph';
    };

/** The worker's own failure, told to the page by key (the worker has no interface texts). */
class KeyedError extends Error {
  constructor(readonly key: 'noGraph', message: string) {
    super(message);
  }
}

/** The worker's message handler; `post` sends a message back to the page. */
export function createBalanceHandler(post: (m: FromWorker) => void) {
  const running = new Map<number, AbortController>();
  const graphs = new Map<string, BlockGraph>();
  return async function onMessage(m: ToWorker): Promise<void> {
    if (m.type === 'cancel') {
      running.get(m.id)?.abort();
      return;
    }
    if (m.type !== 'start') return;
    const controller = new AbortController();
    running.set(m.id, controller);
    try {
      let graph = m.graphKey !== undefined ? graphs.get(m.graphKey) : undefined;
      if (!graph) {
        if (!m.graph) throw new KeyedError('noGraph', 'no block graph sent');
        graph = graphFromData(m.graph);
        if (m.graphKey !== undefined) {
          graphs.clear(); // one community at a time
          graphs.set(m.graphKey, graph);
        }
      }
      const assignment = deserializeAssignment(graph, m.assignment);
      const { firstNewGridNumber: first = 1, gridNames, ...options } = m.options;
      const result = await autoBalanceAsync(assignment, {
        ...options,
        ...(gridNames ? { label: (key: string) => gridNames[key] } : {}),
        newGridKey: (i) => `new:${first + i - 1}`,
        signal: controller.signal,
        onProgress: (progress) => post({ type: 'progress', id: m.id, progress }),
      });
      post({ type: 'result', id: m.id, result: { ...result, assignment: serializeAssignment(result.assignment) } });
    } catch (err) {
      post({ type: 'error', id: m.id, message: (err as Error).message, ...(err instanceof KeyedError ? { key: err.key } : {}) });
    } finally {
      running.delete(m.id);
    }
  };
}
