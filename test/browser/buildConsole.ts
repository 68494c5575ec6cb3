import { build } from "vite";

/**
 * vitest globalSetup of the browser project: builds console/dist from the sources as they are now,
 * so the tests never run against a stale build (npm install builds it too, but edits do not).
 */
export default async function buildConsole(): Promise<void> {
  // vitest sets NODE_ENV=test, which would make Vite bundle React's development build: the tests
  // must load what users get. Restored at once, since the test workers inherit this environment.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ configFile: new URL("../../console/vite.config.ts", import.meta.url).pathname, mode: "production", logLevel: "warn" });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
