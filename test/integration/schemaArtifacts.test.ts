import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "@graphql-codegen/cli";
import { describe, expect, it } from "vitest";
import config, { OUTPUT_DIRS, withBanner } from "../../codegen.ts";
import { SCHEMA_FILE, schemaSdl } from "../../scripts/printSchema.ts";

/**
 * schema.graphql, examples/generated/ and console/src/generated/ are committed outputs of `npm run codegen`; these tests
 * fail while either differs from what the command would write now.
 */

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const HINT = "run npm run codegen and commit the result";

describe("committed GraphQL artifacts", () => {
  it("schema.graphql is the schema printed from src/schema now", () => {
    expect(existsSync(SCHEMA_FILE), `schema.graphql is missing: ${HINT}`).toBe(true);
    const committed = readFileSync(SCHEMA_FILE, "utf8");
    expect(committed, `schema.graphql differs from the schema src/schema builds now: ${HINT}`).toBe(schemaSdl());
  });

  it("examples/generated and console/src/generated are what GraphQL Code Generator makes from the current schema and documents", async () => {
    // The same configuration as codegen.ts, fed with the schema printed now (so this test does not
    // depend on schema.graphql being fresh) and kept in memory instead of written.
    const files = await generate({ ...config, schema: schemaSdl(), cwd: ROOT, silent: true }, false);
    expect(files.length, "codegen produced no files").toBeGreaterThan(0);

    const expected = new Map<string, string>();
    for (const file of files) {
      const path = join(ROOT, file.filename);
      // codegen's own beforeOneFileWrite hook (the banner) runs only when writing, so apply it here.
      expected.set(path, withBanner(path, file.content));
    }

    const onDisk = OUTPUT_DIRS.flatMap((folder) => {
      const dir = join(ROOT, folder);
      return existsSync(dir) ? readdirSync(dir).map((f) => join(dir, f)) : [];
    });
    expect(onDisk.sort(), `the generated folders hold other files than codegen makes: ${HINT}`).toEqual([...expected.keys()].sort());
    for (const [path, content] of expected) {
      expect(readFileSync(path, "utf8"), `${path.slice(ROOT.length)} is stale: ${HINT}`).toBe(content);
    }
  });
});
