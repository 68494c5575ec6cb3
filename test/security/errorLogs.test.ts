import { afterEach, describe, expect, it } from "vitest";
import { TEST_PROVIDER } from "../helpers/app.ts";
import { withDb } from "../helpers/database.ts";
import { expectNoLeak, startTarget } from "./target.ts";

// Issue #18, item 10: a failed operation was logged as {"0":{}} — graphql-yoga's logger called
// with its arguments as one array, the Error inside serialised as {}. Every error line must carry
// the error's message, code and stack, in the log only, never in the answer.
const target = await startTarget();
afterEach(() => target.stillSound());

/** The process's JSON log lines at warn level or above, from `from` (a length of stdout) on. */
const failureLines = (from: number, stdout = target.server.stdout()) =>
  stdout
    .slice(from)
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { level: number; msg: string; err?: { message?: string; code?: string; stack?: string } })
    .filter((line) => line.level >= 40);

describe(`a failed GraphQL operation (${TEST_PROVIDER})`, () => {
  it("is logged with the error's message, code and stack, and answered without them", async () => {
    // A table gone from under the server: the resolver's query fails as an unexpected error would.
    await withDb(target.databaseUrl, (db) => db.$executeRawUnsafe('DROP TABLE "PhoneNumberError"'));
    const from = target.server.stdout().length;
    const answer = await target.graphql('{ phoneNumberErrors(first: 5, phoneNumberId: "1") { edges { node { id } } } }');
    expect(answer.errors?.[0]?.message).toBe("Unexpected error.");
    expectNoLeak(JSON.stringify(answer));

    await target.server.printed((out) => failureLines(from, out).length > 0, 10_000);
    const lines = failureLines(from);
    expect(lines.map((l) => JSON.stringify(l)).join("\n")).not.toContain('"0":');
    expect(lines).toHaveLength(1);
    const { err } = lines[0]!;
    expect(err?.message).toMatch(/PhoneNumberError/);
    expect(err?.code).toEqual(expect.any(String));
    expect(err?.stack).toMatch(/\n\s+at /);
  });
});
