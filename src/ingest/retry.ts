import { StaleMemory } from "./memory.ts";

/**
 * Runs a transaction again when it lost a race with another writer: a serialization failure or
 * deadlock (P2034 / PostgreSQL 40001, 40P01) or a unique constraint hit by a row another instance
 * created at the same moment (P2002), or a remembered participant found stale (StaleMemory). The second
 * attempt sees the winner's rows and merges into them.
 */
export async function retryOnConflict<T>(run: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts || !isConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}

export function isConflict(error: unknown): boolean {
  // A participant remembered by this instance changed meanwhile: run again, reading it (memory.ts).
  if (error instanceof StaleMemory) return true;
  const e = error as { code?: unknown; message?: unknown; meta?: { code?: unknown } } | null;
  const code = typeof e?.code === "string" || typeof e?.code === "number" ? String(e.code) : "";
  const text = `${typeof e?.message === "string" ? e.message : ""} ${JSON.stringify(e?.meta ?? {})}`;
  return (
    code === "P2034" ||
    code === "P2002" ||
    /40001|40P01|could not serialize|deadlock detected|write conflict|TransactionWriteConflict|UniqueConstraintViolation|Unique constraint failed/i.test(text)
  );
}
