// KPI answers, shared while nothing changed. A wall of command-centre screens and every
// secretary's panel ask the same questions every few seconds; the answer only changes when a
// case does (a new row in case_events), when the evaluation's weights do (kpi_weights), or as
// time passes (a deadline running out turns a case overdue without any event). So an answer is
// reused while the latest case event and the weights are the same and it is younger than
// `ttlMs`, and identical questions asked at once share one query.
// The key is everything the answer depends on: the caller's scope and the query.
import type { Queryable } from '../db/index.ts';

interface Entry<T> { version: string; at: number; value: Promise<T> }

export class KpiCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly db: Queryable,
    readonly ttlMs = 10_000,
    private readonly max = 1000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The latest case event (any change to any case writes one) and the weights. */
  private async version(): Promise<string> {
    const { rows } = await this.db.query<{ v: string | null }>(
      `SELECT coalesce((SELECT max(id) FROM case_events), 0)::text || '|' || (SELECT string_agg(kpi || '=' || weight, ',' ORDER BY kpi) FROM kpi_weights) AS v`);
    return rows[0]?.v ?? '';
  }

  async get(key: string, compute: () => Promise<T>): Promise<T> {
    const version = await this.version();
    const now = this.clock();
    const hit = this.entries.get(key);
    if (hit && hit.version === version && now - hit.at < this.ttlMs) return hit.value;
    const value = compute();
    // A failed computation is not kept: the next caller tries again.
    value.catch(() => { if (this.entries.get(key)?.value === value) this.entries.delete(key); });
    this.entries.delete(key);
    this.entries.set(key, { version, at: now, value });
    // Oldest first out (a Map iterates in insertion order).
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}
