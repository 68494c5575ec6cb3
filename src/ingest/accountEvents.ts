import type { AccountEventInput } from "../domain/accountEvents.ts";
import { familyOf } from "../domain/accountEvents.ts";
import { disconnectionChange, projectWaba } from "../domain/connectionState.ts";
import type { DisconnectionRecord } from "../domain/wabaProjection.ts";
import type { Tx } from "../storage/client.ts";
import type { Sql } from "../storage/sql.ts";
import {
  accountEventDetailsColumn,
  accountEventFamilyColumn,
  accountEventRawColumn,
  adAccountsColumn,
  authIntlColumn,
  certificationRejectionReasonsColumn,
  connectionStateColumn,
  pricingTiersColumn,
  restrictionsColumn,
  violationsColumn,
} from "../storage/columns.ts";
import type { TopicEvent } from "../pubsub.ts";
import { recordNamedNumbers } from "./phoneNumbers.ts";
import { listWabas } from "./wabas.ts";

export interface AccountChanges {
  accountEvents: TopicEvent<"accountEvent">[];
  disconnections: TopicEvent<"disconnection">[];
  wabasListed: TopicEvent<"wabaListed">[];
}

/**
 * Stores the events not seen before and re-derives each touched WABA from *all* its events, so
 * the result depends on the set of events and their own times, never on arrival order.
 */
export async function applyAccountEvents(tx: Tx, sql: Sql, events: readonly (AccountEventInput & { deliveryId: string })[]): Promise<AccountChanges> {
  const changes: AccountChanges = { accountEvents: [], disconnections: [], wabasListed: [] };
  if (events.length === 0) return changes;

  // The same event in several deliveries of one batch: the first delivery is its source.
  const byId = new Map<string, AccountEventInput & { deliveryId: string }>();
  for (const e of events) if (!byId.has(e.id)) byId.set(e.id, e);
  const known = await tx.accountEvent.findMany({ where: { id: { in: [...byId.keys()] } }, select: { id: true } });
  for (const { id } of known) byId.delete(id);
  const fresh = [...byId.values()].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  if (fresh.length === 0) return changes;

  const wabaIds = [...new Set(fresh.map((e) => e.wabaId))];
  changes.wabasListed = await listWabas(sql, wabaIds);
  await tx.accountEvent.createMany({
    data: fresh.map((e) => ({
      id: e.id,
      wabaId: e.wabaId,
      event: e.event,
      family: accountEventFamilyColumn.write(familyOf(e.event)),
      phoneNumber: e.phoneNumber,
      occurredAt: e.occurredAt,
      entryId: e.entryId,
      deliveryId: e.deliveryId,
      raw: accountEventRawColumn.write(e.raw),
      details: accountEventDetailsColumn.write(e.details),
    })),
  });
  changes.accountEvents.push(...fresh.map((e) => ({ id: e.id, wabaId: e.wabaId })));

  for (const wabaId of wabaIds) {
    changes.disconnections.push(...(await rederiveWaba(tx, wabaId)));
  }
  return changes;
}

async function rederiveWaba(tx: Tx, wabaId: string): Promise<AccountChanges["disconnections"]> {
  const rows = await tx.accountEvent.findMany({
    where: { wabaId },
    select: { id: true, event: true, occurredAt: true, phoneNumber: true, details: true },
  });
  const p = projectWaba(rows.map((r) => ({ ...r, details: accountEventDetailsColumn.read(r.details) })));
  await tx.waba.update({
    where: { wabaId },
    data: {
      connectionState: connectionStateColumn.write(p.connectionState),
      ownerBusinessId: p.ownerBusinessId,
      banState: p.banState,
      banDate: p.banDate,
      country: p.country,
      restrictions: restrictionsColumn.write(p.restrictions),
      violations: violationsColumn.write(p.violations),
      pricingTiers: pricingTiersColumn.write(p.pricingTiers),
      authIntlPriceEligibility: authIntlColumn.write(p.authIntlPriceEligibility),
      adAccounts: adAccountsColumn.write(p.adAccounts),
      mmLiteTermsSignedAt: p.mmLiteTermsSignedAt,
      certificationStatus: p.certificationStatus,
      certificationRejectionReasons: certificationRejectionReasonsColumn.write(p.certificationRejectionReasons),
      lastEventAt: p.lastEventAt,
    },
  });
  await recordNamedNumbers(tx, wabaId, p.numbers);

  const stored = new Map((await tx.disconnection.findMany({ where: { wabaId } })).map((d) => [d.id, d]));
  const changed: AccountChanges["disconnections"] = [];
  for (const d of p.disconnections) {
    const before = stored.get(d.id);
    stored.delete(d.id);
    if (before && sameDisconnection(before, d)) continue;
    // A stall lasts while the offboarding is open: resolved, it is no longer stalled, whatever order
    // the events came in (src/domain/stalls.ts).
    const unstall = before?.stalledAt && d.resolvedAt ? { stalledAt: null } : {};
    const data = { ...d, wabaId, ...unstall };
    await tx.disconnection.upsert({ where: { id: d.id }, create: data, update: data });
    changed.push({ id: d.id, wabaId, change: disconnectionChange(d) });
  }
  // A late, earlier event can take over a disconnection's place (e.g. an older PARTNER_REMOVED
  // that was never answered): rows the projection no longer has are removed.
  if (stored.size) await tx.disconnection.deleteMany({ where: { id: { in: [...stored.keys()] } } });
  return changed;
}

function sameDisconnection(
  a: {
    phoneNumber: string | null;
    reason: string | null;
    initiatedBy: string | null;
    resolvedAt: Date | null;
    resolvedByEventId: string | null;
    recommendedAction: string;
  },
  b: DisconnectionRecord,
): boolean {
  return (
    a.phoneNumber === b.phoneNumber &&
    a.reason === b.reason &&
    a.initiatedBy === b.initiatedBy &&
    a.resolvedAt?.getTime() === b.resolvedAt?.getTime() &&
    a.resolvedByEventId === b.resolvedByEventId &&
    a.recommendedAction === b.recommendedAction
  );
}
