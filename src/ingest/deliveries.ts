import { createHash, randomUUID } from "node:crypto";
import type { SignatureScheme } from "../webhooks/signature.ts";
import { bulkInsert } from "../storage/bulkInsert.ts";
import { placeholders, toDate, type Sql } from "../storage/sql.ts";

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
}

export function contentHash(body: Buffer): string {
  return createHash("sha256").update(body).digest("hex");
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
} as const;

/**
 * Stores deliveries as they came: one query finds those seen before, one multi-row insert writes
 * the rest. A delivery is the same as a stored one when its signed bytes are (signedHash: every
 * spelling the signature verifies, so a re-escaped replay is not a new delivery) or its raw bytes
 * are (contentHash: Meta's retries, and rows stored before signedHash existed and not yet given
 * one). Both are unique, so the first arrival is the one kept. Runs in the caller's transaction.
 */
export async function storeDeliveries(sql: Sql, incoming: readonly IncomingDelivery[]): Promise<RecordedDelivery[]> {
  const signed = [...new Set(incoming.map((d) => d.signedHash))];
  const raw = [...new Set(incoming.map((d) => d.hash))];
  const rows = await sql.all<Omit<RecordedDelivery, "duplicate" | "receivedAt"> & { receivedAt: unknown; signedHash: string | null }>(
    `SELECT "id", "status", "receivedAt", "body", "contentHash", "signedHash" FROM "WebhookDelivery" WHERE "signedHash" IN (${placeholders(signed.length)}) OR "contentHash" IN (${placeholders(raw.length)})`,
    [...signed, ...raw],
  );
  const known = new Map<string, Omit<RecordedDelivery, "duplicate">>();
  for (const { signedHash, ...r } of rows) {
    const row = { ...r, receivedAt: toDate(r.receivedAt)! };
    known.set(`raw:${r.contentHash}`, row);
    if (signedHash) known.set(`signed:${signedHash}`, row);
  }
  const storedAs = (d: IncomingDelivery) => known.get(`signed:${d.signedHash}`) ?? known.get(`raw:${d.hash}`);
  const fresh = new Map<string, RecordedDelivery & { d: IncomingDelivery }>();
  const firstOf = (d: IncomingDelivery) => fresh.get(`signed:${d.signedHash}`) ?? fresh.get(`raw:${d.hash}`);
  for (const d of incoming) {
    if (storedAs(d) || firstOf(d)) continue;
    const row = {
      id: randomUUID(),
      contentHash: d.hash,
      status: d.error ? "FAILED" : "RECEIVED",
      receivedAt: new Date(),
      body: d.text,
      duplicate: false,
      d,
    };
    fresh.set(`signed:${d.signedHash}`, row);
    fresh.set(`raw:${d.hash}`, row);
  }
  await bulkInsert(
    sql,
    "WebhookDelivery",
    COLUMNS,
    [...new Set(fresh.values())].map((f) => ({
      id: f.id,
      contentHash: f.contentHash,
      signedHash: f.d.signedHash,
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
  return incoming.map((d) => {
    const stored = storedAs(d);
    if (stored) return { ...stored, duplicate: true };
    const { d: _incoming, ...f } = firstOf(d)!;
    const duplicate = seen.has(f.id);
    seen.add(f.id);
    return { ...f, duplicate };
  });
}
