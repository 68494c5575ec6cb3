import { isTemplateField, type SignalEvent } from "../domain/accountSignals.ts";
import { digits, isProvisionalPhoneNumberId, provisionalPhoneNumberId } from "../domain/phoneNumbers.ts";
import type { Tx } from "../storage/client.ts";
import type { Sql } from "../storage/sql.ts";
import type { Prisma } from "../storage/generated/prisma/client.ts";
import { signalDetailsColumn } from "../storage/columns.ts";
import type { TopicEvent } from "../pubsub.ts";
import { rederiveTemplates } from "./templates.ts";
import { listWabas } from "./wabas.ts";

export interface SignalChanges {
  accountSignals: TopicEvent<"accountSignal">[];
  templates: TopicEvent<"template">[];
  wabasListed: TopicEvent<"wabaListed">[];
}

export function noSignalChanges(): SignalChanges {
  return { accountSignals: [], templates: [], wabasListed: [] };
}

/**
 * Stores the operators' events not seen before, each with the delivery that first carried it, and
 * re-derives what they change (a template) from all the events of its subject: the result depends on
 * the set of events and Meta's times, never on arrival order. Everything else these fields say is
 * read from the stored events when asked for (src/resolvers/accountSignals.ts).
 */
export async function applyAccountSignals(tx: Tx, sql: Sql, events: readonly (SignalEvent & { deliveryId: string })[]): Promise<SignalChanges> {
  const changes = noSignalChanges();
  if (events.length === 0) return changes;

  // The same event in several deliveries of one batch: the first delivery is its source.
  const byId = new Map<string, SignalEvent & { deliveryId: string }>();
  for (const e of events) if (!byId.has(e.id)) byId.set(e.id, e);
  const known = await tx.accountSignal.findMany({ where: { id: { in: [...byId.keys()] } }, select: { id: true } });
  for (const { id } of known) byId.delete(id);
  const fresh = [...byId.values()];
  if (fresh.length === 0) return changes;

  changes.wabasListed = await listWabas(sql, new Set(fresh.map((e) => e.wabaId)));
  // createMany without skipDuplicates (SQLite has no ON CONFLICT DO NOTHING through Prisma): the
  // delivery and WABA locks the projection holds keep two writers of one row apart.
  await tx.accountSignal.createMany({
    data: fresh.map((e) => ({
      id: e.id,
      wabaId: e.wabaId,
      field: e.details.field,
      subject: e.subject,
      occurredAt: e.occurredAt,
      deliveryId: e.deliveryId,
      raw: e.raw as Prisma.InputJsonValue,
      details: signalDetailsColumn.write(e.details),
    })),
  });

  changes.accountSignals = fresh.map((e) => ({ id: e.id, wabaId: e.wabaId, field: e.details.field }));
  await listNamedNumbers(tx, fresh);

  const templates = new Map(fresh.filter((e) => isTemplateField(e.details.field)).map((e) => [`${e.wabaId}|${e.subject}`, e]));
  changes.templates = await rederiveTemplates(tx, [...templates.values()]);
  return changes;
}

/**
 * A number these fields name (by its display number) is listed under its WABA like one an
 * account_update names: a row kept under its display number until a mirror webhook names its id.
 * Its last activity is left alone: a quality or name decision is Meta's, not the number's.
 */
async function listNamedNumbers(tx: Tx, events: readonly SignalEvent[]): Promise<void> {
  const named = new Map<string, { wabaId: string; number: string }>();
  for (const e of events) if ("number" in e.details) named.set(`${e.wabaId}|${e.details.number}`, { wabaId: e.wabaId, number: e.details.number });
  for (const { wabaId, number } of named.values()) {
    const stored = await tx.phoneNumber.findMany({ where: { wabaId }, select: { phoneNumberId: true, displayPhoneNumber: true } });
    const known = stored.some(
      (n) =>
        n.phoneNumberId === provisionalPhoneNumberId(number) ||
        (!isProvisionalPhoneNumberId(n.phoneNumberId) && n.displayPhoneNumber !== null && digits(n.displayPhoneNumber) === number),
    );
    if (!known) await tx.phoneNumber.create({ data: { phoneNumberId: provisionalPhoneNumberId(number), displayPhoneNumber: number, wabaId } });
  }
}
