import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_TOKEN, APP_SECRET, VERIFY_TOKEN } from "../helpers/app.ts";
import { parseDockerfile, replayDockerfile, type ReplayedImage } from "../helpers/dockerfile.ts";
import { startServerProcess } from "../helpers/process.ts";
import { expectCleanStop } from "../helpers/shutdown.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * better-sqlite3's prebuilt binary, which the image's `npm ci` downloads from GitHub (these machines
 * have no route there): packed from the one installed here when it is the locked version, and
 * offered through prebuild-install's local-prebuilds folder. Without it, node-gyp compiles SQLite.
 */
function localPrebuilds(dir: string): Record<string, string> {
  const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string }> };
  const installed = join(ROOT, "node_modules/better-sqlite3");
  const locked = lock.packages["node_modules/better-sqlite3"]?.version;
  const binary = join(installed, "build/Release/better_sqlite3.node");
  const version = existsSync(binary) ? (JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as { version: string }).version : null;
  if (!locked || version !== locked) return {};
  mkdirSync(dir, { recursive: true });
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  execFileSync("tar", ["-czf", join(dir, name), "-C", installed, "build/Release/better_sqlite3.node"]);
  return { npm_config_better_sqlite3_local_prebuilds: dir };
}

// The image built and run without a Docker engine (test/helpers/dockerfile.ts): a stage that would
// fail in `docker build` fails here, and the container's command is the one started below.
describe("the Dockerfile, replayed stage by stage", () => {
  const out = mkdtempSync(join(tmpdir(), "coexist-hub-image-"));
  let image: ReplayedImage;
  let app: string;
  beforeAll(() => {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: process.env.HOME ?? "/root",
      // The packages from npm's cache when it has them, as a build cache would; the registry otherwise.
      npm_config_prefer_offline: "true",
      npm_config_update_notifier: "false",
      ...(process.env.npm_config_cache ? { npm_config_cache: process.env.npm_config_cache } : {}),
      ...localPrebuilds(join(out, "prebuilds")),
    };
    image = replayDockerfile(ROOT, "Dockerfile", out, env);
    app = join(image.root, image.workdir);
  }, 1_200_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("runs on the Node.js version this machine tests with", () => {
    const from = parseDockerfile(readFileSync(join(ROOT, "Dockerfile"), "utf8")).map((s) => s.from);
    for (const base of from) expect(process.version.startsWith(`v${base.match(/^node:(\d+\.\d+)/)?.[1]}.`), base).toBe(true);
  });

  it("holds the compiled server, the built console and no development packages", () => {
    expect(existsSync(join(app, "dist/main.js"))).toBe(true);
    expect(existsSync(join(app, "console/dist/index.html"))).toBe(true);
    expect(existsSync(join(app, "node_modules/vitest"))).toBe(false);
    expect(image.user).toBe("node");
  });

  it("starts with its CMD on the SQLite default, passes its HEALTHCHECK, and stops cleanly on SIGTERM", { timeout: 240_000 }, async () => {
    // A container's environment: the image's ENV and what `docker run -e` adds (PORT: a free one here).
    const server = await startServerProcess(
      {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        ...image.env,
        PORT: "0",
        WHATSAPP_APP_SECRET: APP_SECRET,
        WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
        API_TOKENS: API_TOKEN,
      },
      { cwd: app, command: image.cmd[0], args: image.cmd.slice(1), inheritEnv: false },
    );
    const port = new URL(server.url).port;
    const [command, ...args] = image.healthcheck ?? [];
    expect(command, "the image has a HEALTHCHECK").toBeDefined();
    execFileSync(command!, args, { cwd: app, env: { PATH: process.env.PATH, ...image.env, PORT: port }, timeout: 10_000 });

    await expectCleanStop({ ...server, databaseUrl: `file:${join(app, "data/coexist-hub.db")}`, terminate: () => server.child.kill("SIGTERM") });
  });
});
