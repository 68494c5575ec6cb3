import { defineConfig } from "vitest/config";

// The Dockerfile replayed without a Docker engine (test/image): `npm run test:image`, a step of .ci/run.
// Apart from `npm test` because its `npm ci` in a clean folder takes minutes; SQLite, the image's default.
export default defineConfig({
  test: {
    include: ["test/image/**/*.test.ts"],
    setupFiles: ["test/helpers/setup.ts"],
    pool: "forks",
    env: { TEST_DATABASE: "sqlite" },
    testTimeout: 30_000,
    hookTimeout: 1_200_000,
  },
});
