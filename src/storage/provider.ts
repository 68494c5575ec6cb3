import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Where the database lives, decided once from DATABASE_URL. */
export type DatabaseTarget =
  | { provider: "sqlite"; url: string; file: string }
  | { provider: "postgresql"; url: string };

export const SCHEMA_PATH = fileURLToPath(new URL("../../prisma/schema.prisma", import.meta.url));
export const MIGRATIONS_DIR = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));

export function databaseTarget(url: string): DatabaseTarget {
  if (/^postgres(ql)?:\/\//.test(url)) return { provider: "postgresql", url };
  if (url.startsWith("file:")) return { provider: "sqlite", url, file: url.slice("file:".length) };
  throw new Error(
    `DATABASE_URL must start with "file:" (SQLite) or "postgresql://" (PostgreSQL); got "${url.split(":")[0]}:…"`,
  );
}

/** The committed schema, with its provider swapped for the target's: the only difference between the two. */
export function schemaFor(provider: DatabaseTarget["provider"]): string {
  const text = readFileSync(SCHEMA_PATH, "utf8");
  return text.replace(/(datasource db \{\s*provider\s*=\s*)"sqlite"/, `$1"${provider}"`);
}
