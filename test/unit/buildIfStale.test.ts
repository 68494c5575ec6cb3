import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const SCRIPT = fileURLToPath(new URL("../../scripts/buildIfStale.mjs", import.meta.url));
let dir = "";
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A project whose `npm run build` only leaves a mark, built at `builtAt`, with a source changed at `changedAt`. */
function project(builtAt: Date, changedAt: Date) {
  dir = mkdtempSync(join(tmpdir(), "coexist-hub-build-"));
  mkdirSync(join(dir, "src"));
  mkdirSync(join(dir, "dist"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ scripts: { build: "node -e \"require('fs').writeFileSync('built','')\"" } }));
  writeFileSync(join(dir, "src", "main.ts"), "");
  writeFileSync(join(dir, "dist", "main.js"), "");
  writeFileSync(join(dir, "dist", ".tsbuildinfo"), "");
  utimesSync(join(dir, "src", "main.ts"), changedAt, changedAt);
  utimesSync(join(dir, "src"), changedAt, changedAt);
  utimesSync(join(dir, "dist", ".tsbuildinfo"), builtAt, builtAt);
  execFileSync(process.execPath, [SCRIPT], { cwd: dir, stdio: "ignore" });
  return existsSync(join(dir, "built"));
}

describe("npm start's pre-build", () => {
  it("skips the build when dist/ is newer than every source", () => {
    expect(project(new Date(2026, 0, 2), new Date(2026, 0, 1))).toBe(false);
  });

  it("builds when a source changed after the last build", () => {
    expect(project(new Date(2026, 0, 1), new Date(2026, 0, 2))).toBe(true);
  });
});
