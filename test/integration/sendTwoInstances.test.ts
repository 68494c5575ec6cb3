import { describe, expect, it } from "vitest";
import { API_TOKEN, TEST_PROVIDER } from "../helpers/app.ts";
import { runSql } from "../helpers/database.ts";
import { eventually } from "../helpers/eventually.ts";
import { fakeGraph, GRAPH_TOKEN, mostInAnyWindow } from "../helpers/fakeGraph.ts";
import { gql } from "../helpers/graphql.ts";
import { mapLimit } from "../helpers/mapLimit.ts";
import { post, signed } from "../helpers/metaSender.ts";
import { echo, type Business } from "../helpers/mirror.ts";
import { processDatabase } from "../helpers/processDatabase.ts";

const SEND = `mutation S($input: SendMessageInput!) { sendMessage(input: $input) { id } }`;
const B: Business = { wabaId: "960000000000002", phoneNumberId: "970000000000002", display: "+1 555 0102" };
const USERS = ["5511930000001", "5511930000002", "5511930000003", "5511930000004", "5511930000005"];
const SENDS = 100;
// The coexistence limit, lowered from Meta's 20/s so that the pace, not how fast a loaded test
// machine can post, is what binds: two instances each keeping a pace of their own would post
// twice this in a second, well within what either can do. The hub spaces posts 5% wider than the
// limit at any rate, so the slack for a post held up on its way is 50 ms here as at 20/s.
const RATE = 5;

// Several instances share PostgreSQL; on SQLite there is one instance (one writer).
describe.runIf(TEST_PROVIDER === "postgresql")("two server processes sending for one coexistence number", () => {
  it(`keep to the coexistence limit (${RATE}/s here) in any one second at the fake between them, post each send once, and every send arrives`, async () => {
    const fake = await fakeGraph();
    const database = processDatabase({ GRAPH_API_TOKEN: GRAPH_TOKEN, SEND_POLL_INTERVAL_MS: "50", SEND_COEXISTENCE_RATE_PER_SECOND: String(RATE) });
    // The same fake under two path prefixes, so its record says which instance posted each send.
    const [a, b] = await Promise.all(["a", "b"].map((name) => database.start({ GRAPH_API_URL: fake.url.replace(/\/v27\.0$/, `/${name}/v27.0`) })));
    // An echo names the number: it shares the WhatsApp Business app, so the coexistence limit applies.
    expect((await post(a!.url, signed(echo(B, "wamid.echo.two", USERS[0]!, Math.floor(Date.now() / 1000) - 60, "from the app")))).status).toBe(200);

    // Half the sends through each instance, at once; 20 to each user stays within Meta's pair burst,
    // so only the number's pace spaces them.
    await mapLimit(
      Array.from({ length: SENDS }, (_, i) => i),
      8,
      (i) =>
        gql(
          (i % 2 ? b! : a!).url,
          SEND,
          {
            input: { phoneNumberId: B.phoneNumberId, to: USERS[i % USERS.length], template: { name: `two_${i}`, language: "en" }, idempotencyKey: `two-${i}` },
          },
          { token: API_TOKEN },
        ),
    );
    await eventually(
      () => runSql<{ n: number | string }>(database.url, `SELECT count(*) AS n FROM "Send" WHERE "state" = 'ACCEPTED'`),
      (rows) => Number(rows[0]!.n) === SENDS,
      `${SENDS} sends ACCEPTED`,
      90_000,
    );

    const sends = fake.sends();
    const names = sends.map((s) => (s.body.template as { name: string }).name);
    expect(names).toHaveLength(SENDS);
    expect(new Set(names).size).toBe(SENDS);
    // Both instances' workers posted: the pace was shared, not kept by one of them alone.
    expect(sends.filter((s) => s.url.startsWith("/a/")).length).toBeGreaterThan(0);
    expect(sends.filter((s) => s.url.startsWith("/b/")).length).toBeGreaterThan(0);
    expect(mostInAnyWindow(sends, 1000)).toBeLessThanOrEqual(RATE);
  }, 180_000);
});
