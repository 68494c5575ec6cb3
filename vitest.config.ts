import { defineConfig } from "vitest/config";

// The unit and integration suites run twice: on SQLite (the default) and on PostgreSQL (127.0.0.1:5432, database
// `test`, one schema per app so runs cannot collide). Each file starts its own servers on port 0.
const common = { include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"], setupFiles: ["test/helpers/setup.ts"], pool: "forks" as const, testTimeout: 30_000, hookTimeout: 60_000 };

export default defineConfig({
  test: {
    projects: [
      { test: { ...common, name: "sqlite", env: { TEST_DATABASE: "sqlite" } } },
      { test: { ...common, name: "postgresql", env: { TEST_DATABASE: "postgresql" } } },
      // Pages in a real (headless) chromium: once, on SQLite; the page does not depend on the database.
      { test: { ...common, include: ["test/browser/**/*.test.ts"], name: "browser", env: { TEST_DATABASE: "sqlite" }, testTimeout: 60_000 } },
    ],
  },
});
