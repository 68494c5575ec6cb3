import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { pendingModelChanges } from "../../src/storage/migrations.ts";
import { databaseTarget } from "../../src/storage/provider.ts";

const dir = mkdtempSync(join(tmpdir(), "coexist-hub-drift-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("has committed SQLite migrations that match prisma/schema.prisma (run `npm run db:migrate -- --create <name>` if not)", async () => {
  expect(await pendingModelChanges(databaseTarget(`file:${join(dir, "scratch.db")}`))).toBe("");
});
