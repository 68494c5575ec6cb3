#!/usr/bin/env node
// The project runs its TypeScript through tsx (there is no build step): register the loader,
// then load the CLI. A dynamic import, because a static one would be resolved before register().
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
