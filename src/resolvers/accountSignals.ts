import { isDetailsOf, numberSubject, userSubject, WABA_SUBJECT, type DetailsOf, type SignalField } from "../domain/accountSignals.ts";
import { currentMarketingPreference } from "../domain/marketingPreference.ts";
import { digits } from "../domain/phoneNumbers.ts";
import { currentAlerts, projectCapabilities } from "../domain/wabaSignals.ts";
import { signalDetailsColumn } from "../storage/columns.ts";
import type { TopicEvent } from "../pubsub.ts";
import type { Context } from "./context.ts";
import { reread, subscribeTo } from "./published.ts";
import type { Selection } from "./selection.ts";

/**
 * What the operators' fields say, read from their stored events (AccountSignal) by Meta's time when
 * asked for: a number's quality, name decision and security events, a WABA's capabilities and
 * alerts, a contact's marketing preference. Templates have a row of their own (MessageTemplate).
 */

/** A stored event's details, read back as those of `field` (a row of another field is a bug, and says so). */
export function signalDetailsOf<F extends SignalField>(row: { details: unknown }, field: F): DetailsOf<F> {
  const d = signalDetailsColumn.read(row.details);
  if (!isDetailsOf(d, field)) throw new Error(`AccountSignal of field ${d.field} read as ${field}`);
  return d;
}

const NEWEST_FIRST = [{ occurredAt: "desc" as const }, { id: "desc" as const }];

type NumberField = "phone_number_quality_update" | "phone_number_name_update" | "security";

/** A number's events of one field, newest first by Meta's time (these fields name it by its display number). */
export function numberSignals(n: { wabaId: string; displayPhoneNumber: string | null }, field: NumberField, ctx: Context, take: number) {
  const number = n.displayPhoneNumber ? digits(n.displayPhoneNumber) : "";
  if (!number) return Promise.resolve([]);
  return ctx.db.accountSignal.findMany({ where: { wabaId: n.wabaId, subject: numberSubject(number), field }, orderBy: NEWEST_FIRST, take });
}

/** The latest of them, or null. */
export async function latestNumberSignal(n: { wabaId: string; displayPhoneNumber: string | null }, field: NumberField, ctx: Context) {
  return (await numberSignals(n, field, ctx, 1))[0] ?? null;
}

/** `Waba.capabilities`: each limit from the latest event carrying it; null before any. */
export async function wabaCapabilities(w: { wabaId: string }, ctx: Context) {
  const rows = await ctx.db.accountSignal.findMany({
    where: { wabaId: w.wabaId, subject: WABA_SUBJECT, field: "business_capability_update" },
    select: { id: true, occurredAt: true, details: true },
  });
  return projectCapabilities(rows.map((r) => ({ ...r, details: signalDetailsOf(r, "business_capability_update") })));
}

/** `Waba.alerts`: each alert as its latest event says, most severe first, the first `take`. */
export async function wabaAlerts(w: { wabaId: string }, args: { openOnly: boolean }, ctx: Context, take: number) {
  const rows = await ctx.db.accountSignal.findMany({ where: { wabaId: w.wabaId, field: "account_alerts" } });
  const alerts = currentAlerts(
    rows.map((r) => ({ row: r, id: r.id, occurredAt: r.occurredAt, subject: r.subject, details: signalDetailsOf(r, "account_alerts") })),
    args.openOnly,
  );
  return alerts.slice(0, take).map((a) => a.row);
}

/** `Contact.marketingOptOut`: the latest marketing preference Meta sent for any identifier the contact was known by; null when none. */
export async function contactMarketingPreference(
  c: { phoneNumberId: string; phoneNumber: { wabaId: string }; identities: { identity: string }[] },
  ctx: Context,
) {
  if (c.identities.length === 0) return null;
  const rows = await ctx.db.accountSignal.findMany({
    where: {
      wabaId: c.phoneNumber.wabaId,
      subject: { in: c.identities.map((i) => userSubject(c.phoneNumberId, i.identity)) },
      field: "user_preferences",
    },
  });
  const latest = currentMarketingPreference(rows.map((r) => ({ row: r, id: r.id, occurredAt: r.occurredAt, details: signalDetailsOf(r, "user_preferences") })));
  return latest?.row ?? null;
}

/** `accountSignals(wabaId, fields)`: every operators' event as it is stored (once each). */
export function accountSignalEvents(args: { wabaId?: string | null; fields?: readonly string[] | null }, ctx: Context) {
  return subscribeTo(ctx, "accountSignal", (e) => (!args.wabaId || e.wabaId === args.wabaId) && (!args.fields?.length || args.fields.includes(e.field)));
}

export function accountSignalOf(query: Selection<"AccountSignal">, event: TopicEvent<"accountSignal">, ctx: Context) {
  return reread(event, query, () => ctx.db.accountSignal.findUniqueOrThrow({ ...query, where: { id: event.id } }));
}
