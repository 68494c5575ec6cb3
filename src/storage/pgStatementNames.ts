/**
 * Names for the ingest's PostgreSQL statements, so each connection parses and plans a statement
 * once and then only binds and executes it (node-postgres sends Parse for a named statement only
 * the first time on a connection). Unnamed, PostgreSQL parsed and planned every statement of every
 * batch again — a multi-row INSERT of hundreds of parameters each time — on the same two cores as
 * the hub (issue #22).
 *
 * A name is given to a statement text once for the process, so one name never means two texts on a
 * connection (node-postgres refuses that). PostgreSQL keeps a connection's named statements until
 * it closes, so names are bounded: at most `maxNames` texts, none over `maxParams` parameters (a
 * 500-row history INSERT is parsed when it runs, as before); the rest stay unnamed. The `$n` text is
 * kept with the name, so a repeated statement is not renumbered either.
 */
export class PgStatementNames {
  readonly #named = new Map<string, { name?: string; text: string }>();

  constructor(
    private readonly maxNames = 400,
    private readonly maxParams = 2_000,
  ) {}

  /** The query config for `text` (written with `?` placeholders): its `$n` text, and its name when it has one. */
  of(text: string): { name?: string; text: string } {
    const known = this.#named.get(text);
    if (known) return known;
    const { numberedText, params } = numbered(text);
    // Beyond the bound a text is numbered again each time it runs, as every statement was.
    if (this.#named.size >= this.maxNames) return { text: numberedText };
    const query = params <= this.maxParams ? { name: `coexist_${this.#named.size}`, text: numberedText } : { text: numberedText };
    this.#named.set(text, query);
    return query;
  }
}

/** `?` placeholders as PostgreSQL's `$1, $2, …` (our statements never contain a literal `?`). */
function numbered(text: string): { numberedText: string; params: number } {
  let n = 0;
  const numberedText = text.replace(/\?/g, () => `$${++n}`);
  return { numberedText, params: n };
}
