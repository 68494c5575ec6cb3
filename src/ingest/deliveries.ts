import { createHash, randomUUID } from "node:crypto";
import type { SignatureScheme } from "../webhooks/signature.ts";
import { bulkInsert } from "../storage/bulkInsert.ts";
import { placeholders, toDate, type Sql } from "../storage/sql.ts";

export interface IncomingDelivery {
  /** The body as received, decoded once (UTF-8) by the route. */
  text: string;
  /** contentHash of the raw bytes. */
  hash: string;
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
  /** The same bytes were stored before (a retry by Meta), or earlier in the same batch. */
  duplicate: boolean;
}

export function contentHash(body: Buffer): string {
  return createHash("sha256").update(body).digest("hex");
}

const COLUMNS = {
  id: "text",
  contentHash: "text",
  body: "text",
  signature: "text",
  signatureScheme: "text",
  fields: "text",
  receivedAt: "timestamp",
  status: "text",
  error: "text",
  attempts: "int",
} as const;

/**
 * Stores deliveries as they came: one query finds those seen before, one multi-row insert writes
 * the rest. The content hash is unique, so Meta's retries of one delivery find the row already
 * there. Runs in the caller's transaction.
 */
export async function storeDeliveries(sql: Sql, incoming: readonly IncomingDelivery[]): Promise<RecordedDelivery[]> {
  const hashes = incoming.map((d) => d.hash);
  const distinct = [...new Set(hashes)];
  const rows = await sql.all<Omit<RecordedDelivery, "duplicate" | "receivedAt"> & { receivedAt: unknown }>(
    `SELECT "id", "status", "receivedAt", "body", "contentHash" FROM "WebhookDelivery" WHERE "contentHash" IN (${placeholders(distinct.length)})`,
    distinct,
  );
  const known = new Map(rows.map((r) => [r.contentHash, { ...r, receivedAt: toDate(r.receivedAt)! }]));
  const fresh = new Map<string, RecordedDelivery & { d: IncomingDelivery }>();
  incoming.forEach((d, i) => {
    const hash = hashes[i]!;
    if (known.has(hash) || fresh.has(hash)) return;
    fresh.set(hash, {
      id: randomUUID(),
      contentHash: hash,
      status: d.error ? "FAILED" : "RECEIVED",
      receivedAt: new Date(),
      body: d.text,
      duplicate: false,
      d,
    });
  });
  await bulkInsert(
    sql,
    "WebhookDelivery",
    COLUMNS,
    [...fresh.values()].map((f) => ({
      id: f.id,
      contentHash: f.contentHash,
      body: f.body,
      signature: f.d.signature,
      signatureScheme: f.d.scheme,
      fields: f.d.fields.join(","),
      receivedAt: f.receivedAt,
      status: f.status,
      error: f.d.error ?? null,
      attempts: f.d.error ? 1 : 0,
    })),
  );
  const seen = new Set<string>();
  return hashes.map((hash) => {
    const stored = known.get(hash);
    if (stored) return { ...stored, duplicate: true };
    const { d: _incoming, ...f } = fresh.get(hash)!;
    const duplicate = seen.has(hash);
    seen.add(hash);
    return { ...f, duplicate };
  });
}
