import { teardownAfterFile } from "./teardown.ts";

// Setup file of vitest.config.ts and vitest.reliability.config.ts: stops what helpers started outside a test.
teardownAfterFile();
