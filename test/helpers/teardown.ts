import { afterAll, onTestFinished } from "vitest";

const pending = new Set<() => unknown>();

/**
 * Registers the teardown of something a helper started. Inside a running test it runs when that
 * test finishes; anywhere else (file level, a beforeAll hook — where vitest ignores a nested
 * afterAll) it runs after the file, from the afterAll that test/helpers/setup.ts registers.
 */
export function teardown(fn: () => unknown): void {
  try {
    onTestFinished(async () => {
      await fn();
    });
  } catch {
    pending.add(fn);
  }
}

/** Registered once per test file by the setup file of both vitest configs. */
export function teardownAfterFile(): void {
  afterAll(async () => {
    const all = [...pending].reverse();
    pending.clear();
    for (const fn of all) await fn();
  });
}
