/**
 * Prepared SQLite statements kept for reuse, bounded by what they hold outside the JavaScript heap.
 *
 * A prepared statement's program lives in SQLite's memory: ~3 KB for a small one and ~95 bytes per
 * bound parameter more, so the ingest's multi-row INSERTs of the time (one shape per row count: a batch
 * of 150 deliveries was a 1,950-parameter INSERT) held 20–25 MB at 500 statements, freed only when V8
 * happened to collect the dropped ones (bench/ANALYSIS.md). So the cache keeps the statements used
 * last within a budget of parameters, and does not keep a statement larger than `largest`: that one
 * (an IN list over a 500-message history chunk, say) is prepared when it runs, which is little beside writing its rows.
 */
export class StatementCache<S> {
  readonly #entries = new Map<string, { statement: S; weight: number }>();
  #weight = 0;

  constructor(
    private readonly prepare: (text: string) => S,
    /** Parameters (plus a fixed weight per statement) kept at most: 25,000 ≈ 2.5 MB. */
    private readonly budget = 25_000,
    private readonly largest = 2_000,
  ) {}

  get(text: string): S {
    const hit = this.#entries.get(text);
    if (hit) {
      // Most recently used last: eviction takes from the front.
      this.#entries.delete(text);
      this.#entries.set(text, hit);
      return hit.statement;
    }
    const statement = this.prepare(text);
    const weight = weightOf(text);
    if (weight > this.largest) return statement;
    this.#entries.set(text, { statement, weight });
    this.#weight += weight;
    for (const [key, entry] of this.#entries) {
      if (this.#weight <= this.budget) break;
      this.#entries.delete(key);
      this.#weight -= entry.weight;
    }
    return statement;
  }

  /** Statements kept and their weight (tests, the memory bench). */
  get size(): { statements: number; weight: number } {
    return { statements: this.#entries.size, weight: this.#weight };
  }
}

/** Bound parameters, plus the weight of a statement's fixed part (~3 KB ≈ 32 parameters). */
function weightOf(text: string): number {
  let params = 0;
  for (let i = text.indexOf("?"); i !== -1; i = text.indexOf("?", i + 1)) params++;
  return params + 32;
}
