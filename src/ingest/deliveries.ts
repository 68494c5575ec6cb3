import type { SignatureScheme } from "../webhooks/signature.ts";
import { bulkInsertReturning } from "../storage/bulkInsert.ts";
import { placeholders, toDate, type Sql } from "../storage/sql.ts";
import { newRowId } from "../storage/rowId.ts";

export interface IncomingDelivery {
  /** The body as received, decoded once (UTF-8) by the route. */
  text: string;
  /** contentHash of the raw bytes. */
  hash: string;
  /** contentHash of the bytes the signature was verified over: the delivery's identity (see signature.ts). */
  signedHash: string;
  signature: string;
  scheme: SignatureScheme;
  fields: string[];
  /** Set when the payload did not parse: the delivery is stored FAILED with this reason. */
  error?: string | undefined;
}

export interface RecordedDelivery {
  id: string;
  contentHash: string;
  status: string;
  receivedAt: Date;
  body: string;
  /** The same signed delivery, in any spelling, was stored before (a retry by Meta, a replay), or earlier in the same batch. */
  duplicate: boolean;
  /** Inserted just now already in the final state its projection leaves it in (see storeDeliveries' `settle`): not to be marked again. */
  settled?: true;
}

const COLUMNS = {
  id: "text",
  contentHash: "text",
  signedHash: "text",
  body: "text",
  signature: "text",
  signatureScheme: "text",
  fields: "text",
  receivedAt: "timestamp",
  status: "text",
  error: "text",
  attempts: "int",
  failedItems: "json",
  processedAt: "timestamp",
} as const;

/** A new delivery's row as its projection in the same transaction will leave it: written once, never updated after. */
export interface Settled {
  status: "PROCESSED" | "PARTIAL";
  failedItems: readonly unknown[] | null;
}

/**
 * Stores deliveries as they came: one multi-row insert writes those not stored before and returns
 * which they were; only when some were not new does one query find the stored rows. A delivery is
 * the same as a stored one when its signed bytes are (signedHash: every spelling the signature
 * verifies, so a re-escaped replay is not a new delivery) or its raw bytes are (contentHash: Meta's
 * retries, and rows stored before signedHash existed and not yet given one). Both are unique, so the
 * first arrival is the one kept. Runs in the caller's transaction.
 *
 * `settle` gives the final state of a new delivery the caller projects in this same transaction:
 * its row is inserted PROCESSED (or PARTIAL) at once, and returned with `settled` so the caller does
 * not mark it again. If the projection fails, the transaction (and the row) is rolled back.
 */
export async function storeDeliveries(
  sql: Sql,
  incoming: readonly IncomingDelivery[],
  settle: (d: IncomingDelivery) => Settled | null = () => null,
): Promise<RecordedDelivery[]> {
  const fresh = new Map<string, Omit<RecordedDelivery, "settled"> & { d: IncomingDelivery; final: Settled | null }>();
  const firstOf = (d: IncomingDelivery) => fresh.get(`signed:${d.signedHash}`) ?? fresh.get(`raw:${d.hash}`);
  const now = new Date();
  for (const d of incoming) {
    if (firstOf(d)) continue;
    const final = d.error ? null : settle(d);
    const row = { id: newRowId(), contentHash: d.hash, status: d.error ? "FAILED" : "RECEIVED", receivedAt: now, body: d.text, duplicate: false, d, final };
    fresh.set(`signed:${d.signedHash}`, row);
    fresh.set(`raw:${d.hash}`, row);
  }
  const candidates = [...new Set(fresh.values())];
  const inserted = new Set(
    (
      await bulkInsertReturning<{ id: string }>(
        sql,
        "WebhookDelivery",
        COLUMNS,
        candidates.map((f) => ({
          id: f.id,
          contentHash: f.contentHash,
          signedHash: f.d.signedHash,
          body: f.body,
          signature: f.d.signature,
          signatureScheme: f.d.scheme,
          fields: f.d.fields.join(","),
          receivedAt: f.receivedAt,
          status: f.final?.status ?? f.status,
          error: f.d.error ?? null,
          attempts: f.d.error || f.final ? 1 : 0,
          failedItems: f.final?.failedItems?.length ? f.final.failedItems : null,
          processedAt: f.final ? now : null,
        })),
        `ON CONFLICT DO NOTHING RETURNING "id"`,
      )
    ).map((r) => r.id),
  );
  const known = await storedRows(
    sql,
    candidates.filter((f) => !inserted.has(f.id)).map((f) => f.d),
  );
  const storedAs = (d: IncomingDelivery) => known.get(`signed:${d.signedHash}`) ?? known.get(`raw:${d.hash}`);
  const seen = new Set<string>();
  return incoming.map((d) => {
    const stored = storedAs(d);
    if (stored) return { ...stored, duplicate: true };
    const { d: _incoming, final, ...f } = firstOf(d)!;
    const duplicate = seen.has(f.id);
    seen.add(f.id);
    return { ...f, duplicate, ...(final ? { settled: true as const } : {}) };
  });
}

/** The stored rows of deliveries whose insert found them there already (by signed or by raw bytes). */
async function storedRows(sql: Sql, incoming: readonly IncomingDelivery[]): Promise<Map<string, Omit<RecordedDelivery, "duplicate">>> {
  const known = new Map<string, Omit<RecordedDelivery, "duplicate">>();
  if (incoming.length === 0) return known;
  const signed = [...new Set(incoming.map((d) => d.signedHash))];
  const raw = [...new Set(incoming.map((d) => d.hash))];
  const rows = await sql.all<Omit<RecordedDelivery, "duplicate" | "receivedAt"> & { receivedAt: unknown; signedHash: string | null }>(
    `SELECT "id", "status", "receivedAt", "body", "contentHash", "signedHash" FROM "WebhookDelivery" WHERE "signedHash" IN (${placeholders(signed.length)}) OR "contentHash" IN (${placeholders(raw.length)})`,
    [...signed, ...raw],
  );
  for (const { signedHash, ...r } of rows) {
    const row = { ...r, receivedAt: toDate(r.receivedAt)! };
    known.set(`raw:${r.contentHash}`, row);
    if (signedHash) known.set(`signed:${signedHash}`, row);
  }
  return known;
}
