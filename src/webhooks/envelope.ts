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

/** Every change of every entry of a parsed body; throws EnvelopeError saying what was expected. */
export function readEnvelope(body: unknown): WebhookChange[] {
  const parsed = envelope.safeParse(body);
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
