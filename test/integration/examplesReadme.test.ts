import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { API_TOKEN, startApp } from "../helpers/app.ts";
import { partnerRemoved } from "../helpers/mirror.ts";
import { teardown } from "../helpers/teardown.ts";

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

const readme = readFileSync(join(ROOT, "examples/README.md"), "utf8");
const snippets = [...readme.matchAll(/```ts\n([\s\S]+?)```/g)].map((m) => m[1]!);
/** The browser snippet (a WebSocket of the platform) and the Node one (the ws package's). */
const browserSnippet = snippets.find((s) => !s.includes('from "ws"'));
const nodeSnippet = snippets.find((s) => s.includes('from "ws"'));

// A project beside the README's: the generated documents and the repository's node_modules.
const dir = mkdtempSync(join(tmpdir(), "coexist-hub-front-end-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
cpSync(join(ROOT, "examples/generated"), join(dir, "src/generated"), { recursive: true });
symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
// An ES module project, as the README says the Node snippet needs (top-level await).
writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));

describe("examples/README.md", () => {
  it("has a browser snippet and a Node one that type-check, unchanged, against examples/generated in a front-end project", { timeout: 120_000 }, () => {
    expect(browserSnippet).toContain("./generated/graphql.js");
    expect(nodeSnippet).toContain("./generated/graphql.js");
    writeFileSync(join(dir, "src/main.ts"), browserSnippet!);
    writeFileSync(join(dir, "src/subscribe.ts"), nodeSnippet!);
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(FRONT_END_TSCONFIG));
    const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
    let output = "";
    try {
      execFileSync(process.execPath, [tsc, "-p", dir], { encoding: "utf8" });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output).toBe("");
  });

  it(
    "has a Node snippet that, run on this Node as written but for the hub's address and token, prints a disconnection as it happens",
    { timeout: 120_000 },
    async () => {
      const app = await startApp();
      const script = nodeSnippet!
        .replace('const HUB = "http://localhost:4000/graphql";', `const HUB = "${app.url}/graphql";`)
        .replace(`const TOKEN = "<one of the hub's API_TOKENS>";`, `const TOKEN = "${API_TOKEN}";`);
      expect(script).toContain(app.url);
      expect(script).toContain(API_TOKEN);
      writeFileSync(join(dir, "src/run-subscribe.ts"), script);
      const child = spawn(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(dir, "src/run-subscribe.ts")], { cwd: dir });
      teardown(() => void child.kill());
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      let exitCode: number | null | undefined;
      child.once("exit", (code) => (exitCode = code));

      // graphql-ws says nothing once subscribed: a disconnection opened before the script listens is not
      // printed, so each try opens another one (a WABA of its own) and waits for its line, until the deadline.
      const printed = (wabaId: string) => new RegExp(`^${wabaId} PARTNER_REMOVED \\w+$`, "m").test(stdout);
      const printedWithin = (wabaId: string, ms: number) =>
        new Promise<boolean>((resolve) => {
          const done = (result: boolean) => (child.stdout.off("data", onData), child.off("exit", onExit), clearTimeout(timer), resolve(result));
          const onData = () => printed(wabaId) && done(true);
          const onExit = () => done(false);
          const timer = setTimeout(() => done(printed(wabaId)), ms);
          child.stdout.on("data", onData);
          child.once("exit", onExit);
        });
      const deadline = Date.now() + 60_000;
      for (let n = 1; ; n++) {
        if (exitCode !== undefined) throw new Error(`the script exited (${exitCode}):\n${stderr}`);
        if (Date.now() > deadline) throw new Error(`the script printed nothing in time:\nstdout: ${stdout}\nstderr: ${stderr}`);
        const wabaId = `55500000000${String(n).padStart(4, "0")}`;
        expect((await app.deliver(partnerRemoved(wabaId, 1_760_000_000 + n))).status).toBe(200);
        if (await printedWithin(wabaId, 2_000)) break;
      }
      expect(stderr).not.toContain("WebSocket implementation missing");
    },
  );
});
