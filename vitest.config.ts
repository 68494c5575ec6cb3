import { defineConfig } from "vitest/config";

// The integration tests run twice (plus the unit and browser tests, below): on SQLite (the default) and on PostgreSQL
// (127.0.0.1:5432, database `test`, one schema per app so runs cannot collide). Each file starts its own servers on port 0.
const common = {
  include: ["test/integration/**/*.test.ts"],
  setupFiles: ["test/helpers/setup.ts"],
  pool: "forks" as const,
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    // Vitest's default is one worker fewer than the cores: one worker on a 2-core machine, idle while its
    // test waits on a server, a child process or the database. Two keep both cores busy.
    maxWorkers: 2,
    projects: [
      // Pure functions and parsers: no database, so once is enough.
      { test: { ...common, include: ["test/unit/**/*.test.ts"], name: "unit" } },
      { test: { ...common, name: "sqlite", env: { TEST_DATABASE: "sqlite" } } },
      { test: { ...common, name: "postgresql", env: { TEST_DATABASE: "postgresql" } } },
      // The console in Debian's Chromium against a real hub (test/helpers/browser.ts); SQLite only:
      // the pages read the same GraphQL API the two projects above already check on both databases.
      {
        test: {
          ...common,
          include: ["test/browser/**/*.test.ts"],
          name: "browser",
          env: { TEST_DATABASE: "sqlite" },
          globalSetup: ["test/browser/buildConsole.ts"],
          // One browser at a time: each is a few processes, and the machine is shared.
          fileParallelism: false,
          testTimeout: 60_000,
        },
      },
    ],
  },
});
