// `npm start`'s pre-step: runs `npm run build` only when a source is newer than the last build.
// tsc's incremental mode still type-checks the whole program (about 6 s); a start with nothing
// changed should not pay that. Plain JavaScript, so it runs before anything is compiled.
import { execSync } from "node:child_process";
import { existsSync, readdirSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";

const STAMP = "dist/.tsbuildinfo";
const INPUTS = ["src", "tsconfig.json", "tsconfig.build.json", "package-lock.json"];

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs);
}

const built = existsSync(STAMP) && existsSync("dist/main.js") ? statSync(STAMP).mtimeMs : 0;
const changed = INPUTS.filter((p) => existsSync(p)).some((p) => newest(p) > built);
if (changed) {
  execSync("npm run build", { stdio: "inherit" });
  // tsc leaves its build info untouched when the output did not change (a comment edited): stamp it.
  if (existsSync(STAMP)) utimesSync(STAMP, new Date(), new Date());
}
