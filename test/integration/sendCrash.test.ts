import { describe, expect, it } from "vitest";
import { API_TOKEN } from "../helpers/app.ts";
import { runSql } from "../helpers/database.ts";
import { eventually } from "../helpers/eventually.ts";
import { fakeGraph, GRAPH_TOKEN } from "../helpers/fakeGraph.ts";
import { gql } from "../helpers/graphql.ts";
import { mapLimit } from "../helpers/mapLimit.ts";
import { post, signed } from "../helpers/metaSender.ts";
import { echo, type Business } from "../helpers/mirror.ts";
import { processDatabase } from "../helpers/processDatabase.ts";

const B: Business = { wabaId: "960000000000001", phoneNumberId: "970000000000001", display: "+1 555 0101" };
const USERS = ["5511920000001", "5511920000002", "5511920000003", "5511920000004", "5511920000005"];
const SENDS = 100;
const SLOW_MS = 150;

describe("outbound queue across a crash", () => {
  it("after kill -9 mid-burst posts nothing twice, leaves at most the in-flight sends UNKNOWN and delivers the rest after a restart", async () => {
    const fake = await fakeGraph();
    // Each answer takes a while, so sends are caught in flight by the kill.
    fake.slow(SLOW_MS);
    const database = processDatabase({ GRAPH_API_URL: fake.url, GRAPH_API_TOKEN: GRAPH_TOKEN, GRAPH_API_TIMEOUT_MS: "2000" });
    const first = await database.start();
    expect((await post(first.url, signed(echo(B, "wamid.echo.crash", USERS[0]!, Math.floor(Date.now() / 1000) - 60, "from the app")))).status).toBe(200);
    const auth = { token: API_TOKEN };
    await mapLimit(
      Array.from({ length: SENDS }, (_, i) => i),
      8,
      (i) =>
        gql(
          first.url,
          `mutation S($input: SendMessageInput!) { sendMessage(input: $input) { id } }`,
          {
            input: { phoneNumberId: B.phoneNumberId, to: USERS[i % USERS.length], template: { name: `t_${i}`, language: "en" }, idempotencyKey: `crash-${i}` },
          },
          auth,
        ),
    );
    await eventually(
      async () => fake.sends().length,
      (n) => n >= 20,
      "20 sends at the fake",
    );
    first.child.kill("SIGKILL");
    await first.stop();
    const reachedBeforeKill = fake.sends().length;

    const second = await database.start();
    const states = await eventually(
      () => runSql<{ state: string; n: number | string }>(database.url, `SELECT "state", count(*) AS n FROM "Send" GROUP BY "state"`),
      (rows) => rows.every((r) => r.state === "ACCEPTED" || r.state === "UNKNOWN"),
      "every send ACCEPTED or UNKNOWN",
      90_000,
    );
    await second.stop();
    const count = (state: string) => Number(states.find((r) => r.state === state)?.n ?? 0);
    const names = fake.sends().map((s) => (s.body.template as { name: string }).name);
    // Nothing posted twice: the fake's record is the truth about what reached "Meta".
    expect(new Set(names).size).toBe(names.length);
    expect(count("ACCEPTED") + count("UNKNOWN")).toBe(SENDS);
    expect(reachedBeforeKill).toBeLessThan(SENDS);
    // UNKNOWN only for sends in flight at the kill: posted before it (their answer not recorded), or
    // committed SENDING just before the post (one at a time per number). None was posted after the restart.
    const beforeKill = new Set(names.slice(0, reachedBeforeKill));
    const unknown = await runSql<{ request: unknown }>(database.url, `SELECT "request" FROM "Send" WHERE "state" = 'UNKNOWN'`);
    const unknownNames = unknown.map(
      (u) => ((typeof u.request === "string" ? JSON.parse(u.request) : u.request) as { template: { name: string } }).template.name,
    );
    expect(unknownNames.filter((n) => !beforeKill.has(n)).length).toBeLessThanOrEqual(1);
    expect(names.slice(reachedBeforeKill).filter((n) => unknownNames.includes(n))).toEqual([]);
    // Everything else reached the fake once.
    expect(names.length).toBeGreaterThanOrEqual(SENDS - unknown.length);
  }, 240_000);
});
