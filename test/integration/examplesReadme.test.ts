import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

// A front-end project's settings: Next.js's tsconfig (bundler resolution, no .ts imports allowed,
// which is where ".ts" extensions fail with TS5097) with Vite's strictness on top.
const FRONT_END_TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    lib: ["ES2022", "DOM", "DOM.Iterable"],
    module: "ESNext",
    moduleResolution: "bundler",
    moduleDetection: "force",
    isolatedModules: true,
    verbatimModuleSyntax: true,
    strict: true,
    noUnusedLocals: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  },
  include: ["src"],
};

const dir = mkdtempSync(join(tmpdir(), "coexist-hub-front-end-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("examples/README.md", () => {
  it("has a snippet that type-checks, unchanged, against examples/generated in a front-end project", { timeout: 120_000 }, () => {
    const readme = readFileSync(join(ROOT, "examples/README.md"), "utf8");
    const snippet = readme.match(/```ts\n([\s\S]+?)```/)?.[1];
    expect(snippet).toContain("./generated/graphql.js");
    cpSync(join(ROOT, "examples/generated"), join(dir, "src/generated"), { recursive: true });
    writeFileSync(join(dir, "src/main.ts"), snippet!);
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(FRONT_END_TSCONFIG));
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
    const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
    let output = "";
    try {
      execFileSync(process.execPath, [tsc, "-p", dir], { encoding: "utf8" });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output).toBe("");
  });
});
