import type { BusinessNumber, MirrorEvent } from "../domain/mirrorEvents.ts";
import { isProvisionalPhoneNumberId, laterOf, digits, provisionalPhoneNumberId } from "../domain/phoneNumbers.ts";
import type { Tx } from "../storage/client.ts";
import { toDate, type Sql } from "../storage/sql.ts";

/** The latest time each business number of a batch shows activity (messages, statuses, edits, revokes, identity changes). */
export function latestActivityByNumber(events: readonly MirrorEvent[]): Map<string, Date> {
  const latest = new Map<string, Date>();
  for (const e of events) {
    // Events with a time of their own are activity; an address-book sync is not, nor are history
    // progress and number-level errors (no message time).
    const at = "timestamp" in e && e.kind !== "contact" ? e.timestamp : null;
    if (!at) continue;
    const before = latest.get(e.business.phoneNumberId);
    if (!before || before < at) latest.set(e.business.phoneNumberId, at);
  }
  return latest;
}

/**
 * A business number as the latest delivery names it; rewritten only when something changed,
 * `lastActivityAt` only when it moves forward. A number an account_update named first (stored
 * under its display number) is replaced by this row, its last activity carried over. One
 * statement when there is no such row and its WABA is stored (almost always): the upsert itself
 * says whether either needs more. Returns whether the number's WABA is not stored yet.
 */
export async function upsertPhoneNumber(
  sql: Sql,
  b: BusinessNumber,
  activityAt: Date | null,
  appActivityAt: Date | null = null,
): Promise<{ wabaMissing: boolean }> {
  const number = b.displayPhoneNumber ? digits(b.displayPhoneNumber) : "";
  const provisional = number ? provisionalPhoneNumberId(number) : null;
  const found = await upsert(sql, b, { lastActivityAt: activityAt, lastAppActivityAt: appActivityAt }, provisional);
  if (found.provisional) {
    const [named] = await sql.all<{ lastActivityAt: unknown }>(`SELECT "lastActivityAt" FROM "PhoneNumber" WHERE "phoneNumberId" = ?`, [provisional]);
    await sql.run(`DELETE FROM "PhoneNumber" WHERE "phoneNumberId" = ?`, [provisional]);
    if (named) await upsert(sql, b, { lastActivityAt: laterOf(activityAt, toDate(named.lastActivityAt)), lastAppActivityAt: appActivityAt }, null);
  }
  return { wabaMissing: found.wabaMissing };
}

/**
 * The upsert. It also answers (a row is returned when anything is to do, even if the number itself
 * is unchanged) whether a row is stored under `provisional`, and whether the WABA is missing.
 */
async function upsert(
  sql: Sql,
  b: BusinessNumber,
  times: { lastActivityAt: Date | null; lastAppActivityAt: Date | null },
  provisional: string | null,
): Promise<{ provisional: boolean; wabaMissing: boolean }> {
  const ts = sql.placeholder.timestamp;
  const now = new Date();
  const named = `EXISTS (SELECT 1 FROM "PhoneNumber" p WHERE p."phoneNumberId" = ?)`;
  const listed = `EXISTS (SELECT 1 FROM "Waba" w WHERE w."wabaId" = ?)`;
  // Each time moves forward only (a late, older event leaves it).
  const later = (column: string) =>
    `CASE WHEN "PhoneNumber"."${column}" IS NULL OR "PhoneNumber"."${column}" < excluded."${column}" THEN excluded."${column}" ELSE "PhoneNumber"."${column}" END`;
  const moves = (column: string) =>
    `(excluded."${column}" IS NOT NULL AND ("PhoneNumber"."${column}" IS NULL OR "PhoneNumber"."${column}" < excluded."${column}"))`;
  const rows = await sql.all<{ provisional: unknown; listed: unknown }>(
    `INSERT INTO "PhoneNumber" ("phoneNumberId", "displayPhoneNumber", "wabaId", "lastActivityAt", "lastAppActivityAt", "createdAt", "updatedAt") VALUES (?, ?, ?, ${ts}, ${ts}, ${ts}, ${ts})
     ON CONFLICT ("phoneNumberId") DO UPDATE SET "wabaId" = excluded."wabaId",
       "displayPhoneNumber" = COALESCE(excluded."displayPhoneNumber", "PhoneNumber"."displayPhoneNumber"),
       "lastActivityAt" = ${later("lastActivityAt")},
       "lastAppActivityAt" = ${later("lastAppActivityAt")},
       "updatedAt" = excluded."updatedAt"
     WHERE "PhoneNumber"."wabaId" IS DISTINCT FROM excluded."wabaId"
        OR (excluded."displayPhoneNumber" IS NOT NULL AND "PhoneNumber"."displayPhoneNumber" IS DISTINCT FROM excluded."displayPhoneNumber")
        OR ${moves("lastActivityAt")} OR ${moves("lastAppActivityAt")}
        OR ${named} OR NOT ${listed}
     RETURNING ${named} AS "provisional", ${listed} AS "listed"`,
    [b.phoneNumberId, b.displayPhoneNumber, b.wabaId, times.lastActivityAt, times.lastAppActivityAt, now, now, provisional, b.wabaId, provisional, b.wabaId],
  );
  // SQLite answers 1 / 0, PostgreSQL true / false. No row: nothing changed, nothing to do.
  const yes = (v: unknown) => v === true || v === 1;
  return { provisional: rows.some((r) => yes(r.provisional)), wabaMissing: rows.some((r) => !yes(r.listed)) };
}

/**
 * The numbers a WABA's account events name (digits → time of the latest such event): each becomes
 * or moves forward the activity of the stored number with that display number, or, when the hub
 * has not seen the number yet, of a row kept under its display number so the WABA lists it.
 */
export async function recordNamedNumbers(tx: Tx, wabaId: string, named: ReadonlyMap<string, Date>): Promise<void> {
  if (named.size === 0) return;
  const stored = await tx.phoneNumber.findMany({
    where: { wabaId },
    select: { phoneNumberId: true, displayPhoneNumber: true, lastActivityAt: true },
  });
  for (const [number, at] of named) {
    const known = stored.find((n) => !isProvisionalPhoneNumberId(n.phoneNumberId) && n.displayPhoneNumber !== null && digits(n.displayPhoneNumber) === number);
    const phoneNumberId = known?.phoneNumberId ?? provisionalPhoneNumberId(number);
    const before = known ?? stored.find((n) => n.phoneNumberId === phoneNumberId);
    if (before?.lastActivityAt && before.lastActivityAt >= at) continue;
    // Conditional, so a message batch committing a later time meanwhile is never moved back.
    const moved = await tx.phoneNumber.updateMany({
      where: { phoneNumberId, OR: [{ lastActivityAt: null }, { lastActivityAt: { lt: at } }] },
      data: { lastActivityAt: at },
    });
    if (moved.count === 0 && !before) {
      await tx.phoneNumber.upsert({
        where: { phoneNumberId },
        create: { phoneNumberId, displayPhoneNumber: number, wabaId, lastActivityAt: at },
        update: {},
      });
    }
  }
}
