import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// The reliability suite of issue #5 (`npm run test:reliability`): crash/restart, ordering,
// fuzzing, storage outage and concurrency, each against a real server on a free port. Like
// vitest.config.ts it runs once on SQLite and once on PostgreSQL (127.0.0.1:5432, database
// `test`, one schema per app; storageDown.test.ts makes a database of its own there).
//
// Files are independent (own servers, own databases) and spend much of their time waiting on
// the servers and the database, so three run at a time even on two cores, the longest first;
// timeouts are generous because a loaded machine is slow, not wrong.
const common = {
  include: ["test/reliability/**/*.test.ts"],
  setupFiles: ["test/helpers/setup.ts"],
  pool: "forks" as const,
  testTimeout: 180_000,
  hookTimeout: 120_000,
};

/** Longest files first, the two databases side by side, so the run ends with the short ones. */
const LONGEST_FIRST = ["crash", "fuzz", "ordering", "concurrency", "storageDown"];
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = LONGEST_FIRST.findIndex((name) => f.moduleId.endsWith(`/${name}.test.ts`));
      return (i < 0 ? LONGEST_FIRST.length : i) * 2 + (f.project.name === "postgresql" ? 0 : 1);
    };
    return [...files].sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    maxWorkers: 3,
    sequence: { sequencer: LongestFirst },
    projects: [
      { test: { ...common, name: "sqlite", env: { TEST_DATABASE: "sqlite" } } },
      { test: { ...common, name: "postgresql", env: { TEST_DATABASE: "postgresql" } } },
    ],
  },
});
