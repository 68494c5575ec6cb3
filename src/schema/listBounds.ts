/**
 * How many items each list field of the schema can return: the one place the node limit
 * (src/server/nodeLimit.ts) reads them from, through the field's `extensions.listBound`.
 * A list the node limit could not bound would let a small query ask for a huge answer
 * (`Waba.disconnections → Disconnection.waba → disconnections …`), so every list field declares
 * one (test/unit/listBounds.test.ts walks the built schema for any that does not):
 * - `max`: the resolver never returns more than this many (it truncates; the description says so);
 * - `perPage`: the `edges` of a connection, counted by the connection's `first`/`last`;
 * - `lengthOf`: as many items as the named list argument has (`replayDeliveries(ids:)`).
 */
export type ListBound = { readonly max: number } | { readonly perPage: true } | { readonly lengthOf: string };

export const LIST_BOUND = "listBound";

/** The extensions a list field declares its bound with. */
export const listBound = (bound: ListBound) => ({ [LIST_BOUND]: bound });

/**
 * The caps of the lists that are not connections. They sit above what Meta sends or what a WABA
 * holds in practice; the ones that grow with time (disconnections, delivery errors) keep the newest.
 */
export const LIST_CAPS = {
  /** A WABA's or a number's disconnections, newest first. */
  disconnections: 100,
  /** A WABA's business numbers (Meta allows a few dozen per WABA at most). */
  phoneNumbers: 100,
  /** Facts from account_update payloads: restrictions, violations, pricing tiers, ad accounts, reasons. */
  accountFacts: 50,
  /** Countries of an authentication-international pricing exception (there are fewer than 250). */
  countries: 250,
  /** Identifiers a contact has been known by. */
  identities: 50,
  /** Earlier versions of an edited message, the latest kept. */
  edits: 50,
  /** Visible reactions: one per party (the user and the business). */
  reactions: 2,
  /** A history sync's chunks, and its phases (Meta has three). */
  historyChunks: 500,
  historyPhases: 10,
  /** A delivery's unreadable items, its change fields, and its phone-number errors. */
  failedItems: 100,
  deliveryFields: 50,
  phoneNumberErrors: 100,
  /** A WABA's message templates (Meta allows 250, up to 6,000 for some businesses; the first by name kept). */
  templates: 1000,
  /** A template header's or body's variables, the first kept (Meta's bodies have a few). */
  templateVariables: 100,
  /** A template's buttons that take a value (Meta allows 10 buttons), and a URL button's variables (Meta allows one). */
  templateButtons: 10,
  templateButtonVariables: 1,
  /** A template's events, the newest kept. */
  templateHistory: 50,
  /** An onboarding's steps (there are four). */
  onboardingSteps: 4,
  /** A number's quality or security events, the newest kept. */
  numberSignals: 50,
  /** A WABA's alerts (one per type and entity). */
  alerts: 100,
  /** Alert targets (an operator's handful), oldest first. */
  alertTargets: 100,
  /** An alert attempt's POSTs, the latest kept (backoff bounds them to a few dozen). */
  alertTries: 50,
} as const;

/**
 * Options of a capped list field: the cap in its description, for clients, and in its extensions,
 * for the node limit. The resolver must truncate to the same `max` (use `firstOf`/`takeOf`).
 */
export function capped(max: number, description?: string): { description: string; extensions: Record<string, ListBound> } {
  const note = `At most ${max}; the node limit counts it as ${max} (docs/graphql-limits.md).`;
  return { description: description ? `${description} ${note}` : note, extensions: listBound({ max }) };
}

/** The first `max` items: the truncation a capped field's resolver applies. */
export const firstOf = <T>(max: number, items: readonly T[]): T[] => items.slice(0, max);

/** The last `max` items (the latest of a list kept oldest first). */
export const lastOf = <T>(max: number, items: readonly T[]): T[] => items.slice(Math.max(0, items.length - max));
