/**
 * The Dockerfile replayed without a Docker engine (none runs where the hub is developed): each
 * stage gets a clean folder standing for its filesystem, its COPY sources are copied there (from
 * the build context, filtered by .dockerignore, or from an earlier stage), its RUN commands run
 * there in order, and the last stage's ENV, WORKDIR, CMD and HEALTHCHECK are what a container of
 * the image would run. What the base image brings (node, npm, a compiler) is this machine's.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

export interface Instruction {
  keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  rest: string;
}

export interface Stage {
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** Stages of a Dockerfile, each with its instructions (comments dropped, `\` continuations joined). */
export function parseDockerfile(text: string): Stage[] {
  const lines = text.replace(/\\\r?\n/g, " ").split(/\r?\n/);
  const stages: Stage[] = [];
  for (const line of lines.map((l) => l.trim())) {
    if (!line || line.startsWith("#")) continue;
    const [, keyword = "", rest = ""] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === "FROM") {
      const [from = "", , name] = rest.split(/\s+/);
      stages.push({ from, name, instructions: [] });
    } else stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), rest: rest.replace(/\s+/g, " ") });
  }
  return stages;
}

/** Flags (`--from=build`) and the words after them. */
function flagsAndWords(rest: string): { flags: Record<string, string>; words: string[] } {
  const flags: Record<string, string> = {};
  const words = rest.split(" ").filter((w) => {
    const flag = /^--([\w-]+)=(.*)$/.exec(w);
    if (flag) flags[flag[1]!] = flag[2]!;
    return !flag;
  });
  return { flags, words };
}

/** The command of CMD or HEALTHCHECK … CMD: exec form (a JSON array) or shell form (through sh -c). */
export function commandOf(rest: string): string[] {
  return rest.startsWith("[") ? (JSON.parse(rest) as string[]) : ["/bin/sh", "-c", rest];
}

/** A .dockerignore pattern as a regular expression over paths from the context root. */
function ignorePattern(pattern: string): RegExp {
  const body = pattern
    .replace(/^\/+|\/+$/g, "")
    .split("")
    .map((c) => (c === "*" ? "[^/]*" : c === "?" ? "[^/]" : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("")
    .replace(/\[\^\/\]\*\[\^\/\]\*/g, ".*");
  // A pattern that names a folder leaves out everything in it.
  return new RegExp(`^${body}(/|$)`);
}

export function dockerignore(contextDir: string): (path: string) => boolean {
  const file = join(contextDir, ".dockerignore");
  const patterns = existsSync(file)
    ? readFileSync(file, "utf8")
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith("#"))
        .map(ignorePattern)
    : [];
  return (path) => patterns.some((p) => p.test(path));
}

export interface ReplayedImage {
  /** The last stage's folder, standing for the container's `/`. */
  root: string;
  /** The last stage's WORKDIR, inside root. */
  workdir: string;
  env: Record<string, string>;
  user: string | undefined;
  cmd: string[];
  healthcheck: string[] | undefined;
}

/**
 * Runs every stage of `dockerfile` in folders under `outDir`. `runEnv` is what the build's RUN
 * commands see besides the stage's ENV (PATH, HOME, npm's cache: the build machine's own). Throws,
 * with the command's output, at the first step that fails, as `docker build` would stop there.
 */
export function replayDockerfile(contextDir: string, dockerfile: string, outDir: string, runEnv: Record<string, string>): ReplayedImage {
  const ignored = dockerignore(contextDir);
  const roots = new Map<string, string>();
  let image: ReplayedImage | undefined;
  for (const [index, stage] of parseDockerfile(readFileSync(join(contextDir, dockerfile), "utf8")).entries()) {
    const root = join(outDir, `stage-${index}`);
    mkdirSync(root, { recursive: true });
    roots.set(stage.name ?? String(index), root);
    // Paths in the container, as paths in the stage's folder.
    const inStage = (path: string, base: string) => join(root, path.startsWith("/") ? path : join(base, path));
    const state: ReplayedImage = { root, workdir: "/", env: {}, user: undefined, cmd: [], healthcheck: undefined };
    for (const { keyword, rest } of stage.instructions) {
      if (keyword === "WORKDIR") {
        state.workdir = rest.startsWith("/") ? rest : join(state.workdir, rest);
        mkdirSync(inStage(state.workdir, "/"), { recursive: true });
      } else if (keyword === "ENV") {
        for (const pair of rest.split(" ")) state.env[pair.slice(0, pair.indexOf("="))] = pair.slice(pair.indexOf("=") + 1);
      } else if (keyword === "COPY") {
        const { flags, words } = flagsAndWords(rest);
        const dest = words.pop()!;
        for (const source of words) {
          const from = flags.from === undefined ? contextDir : roots.get(flags.from);
          if (!from) throw new Error(`COPY --from=${flags.from}: no such stage`);
          const path = join(from, source);
          if (!existsSync(path)) throw new Error(`COPY ${source}: not found in ${flags.from ? `stage ${flags.from}` : "the build context"}`);
          const target = inStage(dest, state.workdir);
          // A file copied into a folder (dest ends with /) keeps its name; a folder's contents go into dest.
          const into = statSync(path).isFile() && dest.endsWith("/") ? join(target, source.split("/").pop()!) : target;
          cpSync(path, into, {
            recursive: true,
            filter: (p) => flags.from !== undefined || !ignored(relative(contextDir, p)),
          });
        }
      } else if (keyword === "RUN") {
        // The stage's absolute paths (its WORKDIR) live under its folder here.
        const command = rest.replace(new RegExp(`(^|[\\s=:])${state.workdir}(?=/|\\s|$)`, "g"), `$1${inStage(state.workdir, "/")}`);
        try {
          execFileSync("/bin/sh", ["-c", command], { cwd: inStage(state.workdir, "/"), env: { ...runEnv, ...state.env }, stdio: "pipe", maxBuffer: 64 << 20 });
        } catch (error) {
          const { stdout = "", stderr = "" } = error as { stdout?: Buffer; stderr?: Buffer };
          throw new Error(`stage ${stage.name ?? index}: RUN ${rest} failed:\n${String(stdout).slice(-4000)}\n${String(stderr).slice(-4000)}`, {
            cause: error,
          });
        }
      } else if (keyword === "USER") state.user = rest;
      else if (keyword === "CMD") state.cmd = commandOf(rest);
      else if (keyword === "HEALTHCHECK") state.healthcheck = rest === "NONE" ? undefined : commandOf(rest.replace(/^.*?\bCMD\s+/, ""));
      else if (!["EXPOSE", "LABEL", "VOLUME"].includes(keyword)) {
        throw new Error(`the replay does not know ${keyword}; teach test/helpers/dockerfile.ts or leave it out`);
      }
    }
    image = state;
  }
  if (!image) throw new Error(`${dockerfile} has no stage`);
  return image;
}
