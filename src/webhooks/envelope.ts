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

/**
 * JSON can carry lone UTF-16 surrogates ("\ud800"), which no text column can hold: SQLite stores
 * the bytes as they are (invalid UTF-8, so a key no longer matches itself once read back) and
 * PostgreSQL's driver writes U+FFFD. The rule, the same on both databases: every string of a
 * body, keys included, is made well-formed on the way in, each lone surrogate becoming U+FFFD,
 * so nothing past the envelope ever sees one. The stored raw delivery keeps the original bytes
 * (JSON escapes are ASCII). Changes the parsed body in place and returns it.
 */
export function wellFormed<T>(value: T): T {
  if (typeof value === "string") return (value.isWellFormed() ? value : value.toWellFormed()) as T;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = wellFormed(value[i]);
  } else if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const v = wellFormed(record[key]);
      if (key.isWellFormed() && v === record[key]) continue;
      delete record[key];
      // defineProperty, not assignment: JSON.parse makes "__proto__" an own key, and assigning it would set the prototype.
      Object.defineProperty(record, key.toWellFormed(), { value: v, writable: true, enumerable: true, configurable: true });
    }
  }
  return value;
}

/**
 * Every change of every entry of a parsed body (made well-formed first, see wellFormed); throws
 * EnvelopeError saying what was expected.
 */
export function readEnvelope(body: unknown): WebhookChange[] {
  const parsed = envelope.safeParse(wellFormed(body));
  if (!parsed.success) {
    throw new EnvelopeError(`not a ${OBJECT} webhook: ${describeIssues(parsed.error)}`);
  }
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
