import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

// The layer rules `npm run lint` checks (.dependency-cruiser.cjs), run on small trees written
// here: the real tree is checked by the lint itself; these show that a breach would fail it.
const depcruise = resolve("node_modules/dependency-cruiser/bin/dependency-cruise.mjs");
const config = resolve(".dependency-cruiser.cjs");
const tsconfig = JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", allowImportingTsExtensions: true, noEmit: true } });

const trees: string[] = [];
afterEach(() => {
  for (const dir of trees.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The rules a tree of files (path → source) breaks, by name. */
function brokenRules(files: Record<string, string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), "coexist-hub-layers-"));
  trees.push(dir);
  writeFileSync(join(dir, "tsconfig.json"), tsconfig);
  for (const [path, text] of Object.entries({ "src/main.ts": 'import "./app.ts";\n', ...files })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const out = execFileSync(process.execPath, [depcruise, "src", "--config", config, "--output-type", "json", "--no-progress"], { cwd: dir, encoding: "utf8" });
  const result = JSON.parse(out) as { summary: { violations: { rule: { name: string } }[] } };
  return [...new Set(result.summary.violations.map((v) => v.rule.name))].sort();
}

describe("the layer rules of npm run lint", () => {
  it("pass a tree whose data flows one way", () => {
    expect(
      brokenRules({
        "src/app.ts": 'import { ingest } from "./ingest/apply.ts";\nexport const app = ingest;\n',
        "src/ingest/apply.ts": 'import { rule } from "../domain/rule.ts";\nexport const ingest = rule;\n',
        "src/domain/rule.ts": "export const rule = 1;\n",
      }),
    ).toEqual([]);
  });

  it("fail a domain rule that reaches into ingest", () => {
    expect(
      brokenRules({
        "src/app.ts": 'import { rule } from "./domain/rule.ts";\nexport const app = rule;\n',
        "src/domain/rule.ts": 'import { ingest } from "../ingest/apply.ts";\nexport const rule = ingest;\n',
        "src/ingest/apply.ts": "export const ingest = 1;\n",
      }),
    ).toEqual(["domain-is-pure", "domain-types-are-pure"]);
  });

  it("fail a resolver that imports the schema", () => {
    expect(
      brokenRules({
        "src/app.ts": 'import { thread } from "./resolvers/thread.ts";\nexport const app = thread;\n',
        "src/resolvers/thread.ts": 'import { ThreadRef } from "../schema/thread.ts";\nexport const thread = ThreadRef;\n',
        "src/schema/thread.ts": "export const ThreadRef = 1;\n",
      }),
    ).toEqual(["resolvers-know-no-pothos"]);
  });

  it("fail two modules that import each other, even for types only", () => {
    expect(
      brokenRules({
        "src/app.ts": 'import { a } from "./schema/a.ts";\nexport const app = a;\n',
        "src/schema/a.ts": 'import type { B } from "./b.ts";\nexport const a: B | null = null;\n',
        "src/schema/b.ts": 'import { a } from "./a.ts";\nexport type B = typeof a;\n',
      }),
    ).toEqual(["no-cycle"]);
  });

  it("fail a module nothing imports", () => {
    expect(brokenRules({ "src/app.ts": "export const app = 1;\n", "src/ingest/forgotten.ts": "export const forgotten = 1;\n" })).toEqual(["no-orphans-in-src"]);
  });
});
