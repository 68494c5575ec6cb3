import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Where the hub, the CLI and `npm run db:migrate` keep their data when DATABASE_URL is not set. */
export const DEFAULT_DATABASE_URL = "file:./data/coexist-hub.db";

export const PROVIDERS = ["sqlite", "postgresql"] as const;
export type Provider = (typeof PROVIDERS)[number];

/** Where the database lives, decided once from DATABASE_URL. */
export type DatabaseTarget =
  | { provider: "sqlite"; url: string; file: string }
  | {
      provider: "postgresql";
      url: string;
      /** The URL without Prisma's `schema` parameter, as node-postgres takes it. */
      connectionString: string;
      /** The PostgreSQL schema holding the tables (`?schema=`, default public). */
      schema: string;
    };

export const SCHEMA_PATH = fileURLToPath(new URL("../../prisma/schema.prisma", import.meta.url));
export const MIGRATIONS_DIR = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));

export function databaseTarget(url: string): DatabaseTarget {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get("schema") || "public";
    parsed.searchParams.delete("schema");
    return { provider: "postgresql", url, connectionString: parsed.toString(), schema };
  }
  if (url.startsWith("file:")) return { provider: "sqlite", url, file: url.slice("file:".length) };
  throw new Error(`DATABASE_URL must start with "file:" (SQLite) or "postgresql://" (PostgreSQL); got "${url.split(":")[0]}:…"`);
}

const DATASOURCE = /(datasource db \{\s*provider\s*=\s*)"sqlite"/;

/**
 * The one model definition with its provider swapped: the only difference between the SQLite
 * and PostgreSQL schemas, so the second is always derived, never kept by hand.
 */
export function withProvider(schemaText: string, provider: Provider): string {
  if (!DATASOURCE.test(schemaText)) throw new Error('prisma/schema.prisma must declare `datasource db { provider = "sqlite" }`');
  return schemaText.replace(DATASOURCE, `$1"${provider}"`);
}

export function schemaFor(provider: Provider): string {
  return withProvider(readFileSync(SCHEMA_PATH, "utf8"), provider);
}

/**
 * The schema `npm run generate` uses for the PostgreSQL client: the provider swapped, the client
 * written beside the SQLite one, and no second Pothos types file (the models are the same).
 */
export function postgresClientSchema(): string {
  return schemaFor("postgresql")
    .replace(/output\s*=\s*"..\/src\/storage\/generated\/prisma"/, 'output   = "./postgresql"')
    .replace(/generator pothos \{[^}]*\}\n*/, "");
}

/** For messages: the file, or the URL without its password. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.provider === "sqlite") return `SQLite ${target.url.slice("file:".length)}`;
  const url = new URL(target.url);
  if (url.password) url.password = "***";
  return `PostgreSQL ${url.toString()}`;
}
