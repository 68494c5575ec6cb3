import { build } from "vite";

/**
 * vitest globalSetup of the browser project: builds console/dist from the sources as they are now,
 * so the tests never run against a stale build (npm install builds it too, but edits do not).
 */
export default async function buildConsole(): Promise<void> {
  await build({ configFile: new URL("../../console/vite.config.ts", import.meta.url).pathname, logLevel: "warn" });
}
