#!/usr/bin/env node
// The CLI runs its TypeScript sources through tsx (only the server is compiled, to dist/, for
// `npm start`), so a `hub` command never waits for a build: register the loader, then load the CLI. A dynamic import, because a static one would be resolved before register().
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
