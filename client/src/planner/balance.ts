// The page's side of auto-balance: starts a run in the Web Worker, reports progress, cancels,
// and turns the worker's answer back into an Assignment on the page's block graph.
import {
  deserializeAssignment,
  graphToData,
  serializeAssignment,
  type Assignment,
  type BalanceProgress,
  type BalanceResult,
  type BlockGraph,
} from '@grid-atlas/geodata/plan';
import { t } from '../i18n';
import type { BalanceWorkerOptions, FromWorker, ToWorker } from './balance-protocol.ts';
import { PeopleError } from '../api/http';

export type { BalanceWorkerOptions } from './balance-protocol.ts';

/** The part of a Worker this client uses (a real Worker, or a stand-in in tests). */
export interface WorkerLike {
  postMessage(m: ToWorker): void;
  addEventListener(type: 'message', fn: (e: { data: FromWorker }) => void): void;
  terminate(): void;
}

export interface BalanceRun {
  readonly id: number;
  /** Resolves with the proposal (status ok, not_reached, impossible or cancelled); rejects on a worker error. */
  readonly result: Promise<BalanceResult>;
  cancel(): void;
}

export function createBalanceWorker(): WorkerLike {
  return new Worker(new URL('./balance.worker.ts', import.meta.url), { type: 'module' }) as unknown as WorkerLike;
}

export class BalanceClient {
  private nextId = 1;
  private readonly pending = new Map<number, {
    graph: BlockGraph;
    resolve: (r: BalanceResult) => void;
    reject: (e: Error) => void;
    onProgress?: (p: BalanceProgress) => void;
  }>();
  /** graph objects already sent, by the key the worker caches them under */
  private readonly sent = new WeakMap<BlockGraph, string>();

  constructor(private readonly worker: WorkerLike = createBalanceWorker()) {
    worker.addEventListener('message', (e) => this.receive(e.data));
  }

  start(assignment: Assignment, options: BalanceWorkerOptions = {}, onProgress?: (p: BalanceProgress) => void): BalanceRun {
    const id = this.nextId++;
    const graph = assignment.graph;
    let graphKey = this.sent.get(graph);
    const known = graphKey !== undefined;
    if (!graphKey) {
      graphKey = `g${id}`;
      this.sent.set(graph, graphKey);
    }
    const result = new Promise<BalanceResult>((resolve, reject) => this.pending.set(id, { graph, resolve, reject, onProgress }));
    const msg: ToWorker = {
      type: 'start',
      id,
      graphKey,
      ...(known ? {} : { graph: graphToData(graph) }),
      assignment: serializeAssignment(assignment),
      options,
    };
    this.worker.postMessage(msg);
    return { id, result, cancel: () => this.worker.postMessage({ type: 'cancel', id }) };
  }

  /** Stops the worker; runs still pending reject. */
  dispose() {
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new PeopleError(t('planner.balance.stopped')));
    this.pending.clear();
  }

  private receive(m: FromWorker) {
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === 'progress') p.onProgress?.(m.progress);
    else if (m.type === 'error') {
      this.pending.delete(m.id);
      p.reject(new Error(m.key ? t(`planner.balance.${m.key}`) : m.message));
    } else {
      this.pending.delete(m.id);
      p.resolve({ ...m.result, assignment: deserializeAssignment(p.graph, m.result.assignment) });
    }
  }
}
