import { z } from "zod";

/** Meta's IDs are strings, though some examples carry them as numbers. */
export const metaId = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);

/** Unix seconds, as a number or a numeric string. */
export const unixSeconds = z
  .union([z.number().finite().nonnegative(), z.string().regex(/^\d+$/, "expected unix seconds")])
  .transform((v) => new Date(Number(v) * 1000));

const OBJECT = "whatsapp_business_account";

// Lenient on purpose: Meta's own examples put `field` and `object` inside the entry or the value,
// or leave `object` out. Unknown keys are kept (passthrough), never dropped.
const change = z.looseObject({ field: z.string().optional(), value: z.unknown() });
const entry = z.looseObject({
  id: metaId,
  time: unixSeconds.optional(),
  changes: z.array(change),
  field: z.string().optional(),
  object: z.string().optional(),
});
const envelope = z.looseObject({ object: z.string().optional(), entry: z.array(entry).min(1) });

/** One change of one entry, with its field resolved wherever Meta put it. */
export interface WebhookChange {
  entryIndex: number;
  changeIndex: number;
  entryId: string;
  entryTime: Date | undefined;
  field: string;
  value: unknown;
}

export class EnvelopeError extends Error {}

declare global {
  // ES2024, in Node since 20; TypeScript's ES2022 library does not declare them.
  interface String {
    isWellFormed(): boolean;
    toWellFormed(): string;
  }
}

/** Meta's payloads nest about ten levels; a limit far above that, and far below the stack's. */
export const DEFAULT_MAX_DEPTH = 64;

/**
 * Strings no column can hold, made storable the same way on both databases:
 * - JSON can carry lone UTF-16 surrogates ("\ud800"): SQLite stores the bytes as they are
 *   (invalid UTF-8, so a key no longer matches itself once read back) and PostgreSQL's driver
 *   writes U+FFFD;
 * - JSON can carry NUL ("\u0000"), which PostgreSQL refuses in text and jsonb (the delivery
 *   failed there) while SQLite stores it.
 * The rule: every string of a body, keys included, is made well-formed on the way in, each lone
 * surrogate and each NUL becoming U+FFFD, so nothing past the envelope ever sees one and both
 * databases store the same thing. The stored raw delivery keeps the original bytes (JSON escapes
 * are ASCII).
 *
 * The walk is iterative and refuses nesting deeper than maxDepth (EnvelopeError, a 400): a body
 * of thousands of nested arrays used to overflow the stack here, and would further on (JSON.stringify).
 * Changes the parsed body in place and returns it.
 */
export function wellFormed<T>(value: T, maxDepth = DEFAULT_MAX_DEPTH): T {
  if (typeof value === "string") return storable(value) as T;
  const pending: [object, number][] = isContainer(value) ? [[value, 1]] : [];
  const visit = (v: unknown, depth: number): unknown => {
    if (typeof v === "string") return storable(v);
    if (isContainer(v)) pending.push([v, depth + 1]);
    return v;
  };
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, depth] = next;
    if (depth > maxDepth) throw new EnvelopeError(`JSON nested deeper than ${maxDepth} levels`);
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) node[i] = visit(node[i], depth);
      continue;
    }
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const v = visit(record[key], depth);
      const k = storable(key);
      if (k === key && v === record[key]) continue;
      delete record[key];
      // defineProperty, not assignment: JSON.parse makes "__proto__" an own key, and assigning it would set the prototype.
      Object.defineProperty(record, k, { value: v, writable: true, enumerable: true, configurable: true });
    }
  }
  return value;
}

function isContainer(v: unknown): v is object {
  return v !== null && typeof v === "object";
}

function storable(s: string): string {
  const w = s.isWellFormed() ? s : s.toWellFormed();
  return w.includes("\0") ? w.replaceAll("\0", "\ufffd") : w;
}

/**
 * Every change of every entry of a parsed body (made well-formed first, see wellFormed); throws
 * EnvelopeError saying what was expected.
 */
export function readEnvelope(body: unknown, maxDepth = DEFAULT_MAX_DEPTH): WebhookChange[] {
  const parsed = envelope.safeParse(wellFormed(body, maxDepth));
  if (!parsed.success) {
    throw new EnvelopeError(`not a ${OBJECT} webhook: ${describeIssues(parsed.error)}`);
  }
  // Checked before the changes, so an envelope of another object with no changes is refused too.
  const objects = [parsed.data.object, ...parsed.data.entry.map((e) => e.object)].filter((o) => o !== undefined);
  const foreign = objects.find((o) => o !== OBJECT);
  if (foreign !== undefined) throw new EnvelopeError(`expected object "${OBJECT}", got "${foreign}"`);
  const changes: WebhookChange[] = [];
  parsed.data.entry.forEach((e, entryIndex) => {
    e.changes.forEach((c, changeIndex) => {
      const value = c.value;
      const inValue = (key: string) =>
        value && typeof value === "object" && typeof (value as Record<string, unknown>)[key] === "string"
          ? ((value as Record<string, unknown>)[key] as string)
          : undefined;
      const object = parsed.data.object ?? e.object ?? inValue("object");
      if (object !== undefined && object !== OBJECT) {
        throw new EnvelopeError(`expected object "${OBJECT}", got "${object}"`);
      }
      changes.push({
        entryIndex,
        changeIndex,
        entryId: e.id,
        entryTime: e.time,
        field: c.field ?? e.field ?? inValue("field") ?? "",
        value,
      });
    });
  });
  return changes;
}

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`)
    .join("; ");
}
