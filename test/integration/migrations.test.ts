import { describe, expect, it } from "vitest";
import { migrationDrift } from "../../src/storage/migrations.ts";
import { PROVIDERS, postgresClientSchema, schemaFor } from "../../src/storage/provider.ts";
import { readFileSync } from "node:fs";

describe.each(PROVIDERS)("%s migrations", (provider) => {
  it("match prisma/schema.prisma (run `npm run db:migrate -- --create <name>` if not)", async () => {
    expect(await migrationDrift(provider)).toEqual([]);
  });
});

describe("the PostgreSQL schema", () => {
  it("is the one model definition with only the provider swapped", () => {
    const base = readFileSync("prisma/schema.prisma", "utf8");
    const derived = schemaFor("postgresql");
    expect(derived).not.toBe(base);
    expect(derived.replace('provider = "postgresql"', 'provider = "sqlite"')).toBe(base);
  });

  it("is what the PostgreSQL client was generated from (run `npm run generate` if not)", () => {
    const generated = readFileSync("src/storage/generated/postgresql.prisma", "utf8");
    expect(generated.split("\n").slice(1).join("\n")).toBe(postgresClientSchema());
  });
});
