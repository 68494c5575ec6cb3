import { defineConfig } from "vitest/config";

// The security suite of issue #9 (`npm run test:security`): every attack of the issue replayed on
// raw sockets against the real server process (src/main.ts, as `npm run dev`/`hub serve` run it)
// on a real port, once on SQLite and once on PostgreSQL (127.0.0.1:5432, database `test`, a
// schema of its own). After each attack: the process answers /healthz, /readyz is ready, the
// answer showed no stack, and nothing unsigned was stored.
const common = {
  include: ["test/security/**/*.test.ts"],
  setupFiles: ["test/helpers/setup.ts"],
  pool: "forks" as const,
  testTimeout: 60_000,
  hookTimeout: 120_000,
};

export default defineConfig({
  test: {
    // As in vitest.config.ts: two workers, not Vitest's default of one on a 2-core machine.
    maxWorkers: 2,
    projects: [
      { test: { ...common, name: "sqlite", env: { TEST_DATABASE: "sqlite" } } },
      { test: { ...common, name: "postgresql", env: { TEST_DATABASE: "postgresql" } } },
    ],
  },
});
