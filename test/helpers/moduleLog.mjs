// Preload (`node --import <this file>`) that appends every module URL the process resolves to the file
// MODULE_LOG names, one per line: which packages a running server loaded (test/integration/loadedModules.test.ts).
// The hooks run on a thread of their own (moduleLogHooks.mjs) and write the file themselves.
import { register } from "node:module";

if (process.env.MODULE_LOG) register("./moduleLogHooks.mjs", { parentURL: import.meta.url, data: { file: process.env.MODULE_LOG } });
