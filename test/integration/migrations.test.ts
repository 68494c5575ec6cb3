import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { applyMigrations, migrateIfPending, migrationDrift, migrationNames } from "../../src/storage/migrations.ts";
import { PROVIDERS, databaseTarget, postgresClientSchema, schemaFor, type DatabaseTarget } from "../../src/storage/provider.ts";
import { TEST_PROVIDER, freshDatabase } from "../helpers/app.ts";

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

describe("start-up migrations", () => {
  const recordingApply = () => {
    const calls: string[] = [];
    return { calls, apply: async (target: DatabaseTarget) => (calls.push(target.url), applyMigrations(target)) };
  };

  it("start the schema engine on a database that has never been migrated", async () => {
    const database = freshDatabase(mkdtempSync(join(tmpdir(), "coexist-hub-migrate-")));
    onTestFinished(() => database.drop());
    const { calls, apply } = recordingApply();
    const applied = await migrateIfPending(databaseTarget(database.url), apply);
    expect(calls).toEqual([database.url]);
    expect(applied).toEqual(migrationNames(TEST_PROVIDER));
  });

  it("do not start the schema engine when every committed migration is applied", async () => {
    const database = freshDatabase(mkdtempSync(join(tmpdir(), "coexist-hub-migrate-")));
    onTestFinished(() => database.drop());
    const target = databaseTarget(database.url);
    await applyMigrations(target);
    const { calls, apply } = recordingApply();
    expect(await migrateIfPending(target, apply)).toEqual([]);
    expect(calls).toEqual([]);
  });

  // Two instances started together (replicas, a rolling deploy) both find the schema missing.
  it.runIf(TEST_PROVIDER === "postgresql")("take turns on a new PostgreSQL schema: both succeed and each migration is applied once", async () => {
    const database = freshDatabase(mkdtempSync(join(tmpdir(), "coexist-hub-migrate-")));
    onTestFinished(() => database.drop());
    const target = databaseTarget(database.url);
    const [first, second] = await Promise.all([applyMigrations(target), applyMigrations(target)]);
    expect([...first, ...second].sort()).toEqual(migrationNames(TEST_PROVIDER));
  });
});
