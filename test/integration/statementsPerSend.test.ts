import { afterAll, beforeAll, describe, expect, it } from "vitest";
// First: the counter wraps the drivers before the app opens its database.
import { statementsOf } from "../helpers/statementCounter.ts";
import { startApp, TEST_SEND, type TestApp, TEST_GRAPH } from "../helpers/app.ts";
import { runSql } from "../helpers/database.ts";
import { eventually } from "../helpers/eventually.ts";
import { fakeGraph, GRAPH_TOKEN, type FakeGraph } from "../helpers/fakeGraph.ts";
import { accountUpdate, inbound, type Business } from "../helpers/mirror.ts";

// Issue #21's benchmark gap: the queue's statements per send, counted as the bench counts them
// (bench/lib/sqlCounter.ts: every statement the driver executes, BEGIN and COMMIT included). Before
// the queue worked in batches a drain took 31 (SQLite) to 34 (PostgreSQL) statements per send, four
// transactions each: the gate re-read for every held send, one reservation update, one SENDING
// commit and one answer commit per send. Now: the gate once per number and thread per pass, the
// reservation in one statement, SENDING and answers committed for every send ready at once. How
// many go together depends on timing (at worst one each), so the bound is that worst case. The answer
// batch's wamid and pending-update checks are one plain statement now (two Prisma reads before): 17.
const SEND = `mutation Send($input: SendMessageInput!) { sendMessage(input: $input) { id } }`;
const B: Business = { wabaId: "990000000000001", phoneNumberId: "990000000000002", display: "+1 555 0199" };
const USERS = Array.from({ length: 10 }, (_, i) => `55119300000${String(i).padStart(2, "0")}`);
const SENDS = 50;
const now = () => Math.floor(Date.now() / 1000);

let app: TestApp;
let fake: FakeGraph;

beforeAll(async () => {
  fake = await fakeGraph();
  // The number's pace and the pair limit out of the way: what is counted is the queue's work, not its waiting.
  app = await startApp({ graph: { ...TEST_GRAPH, apiUrl: fake.url, token: GRAPH_TOKEN }, send: { ...TEST_SEND, ratePerSecond: 1000, pairIntervalMs: 0 } });
  for (const u of USERS) expect((await app.deliver(inbound(B, `wamid.in.${u}`, u, now() - 60, "oi"))).status).toBe(200);
});
afterAll(() => app.stop());

const sendOne = (i: number) =>
  app.graphql(SEND, {
    input: { phoneNumberId: B.phoneNumberId, to: USERS[i % USERS.length], template: { name: `batch_${i}`, language: "en" }, idempotencyKey: `batch-${i}` },
  });

const accepted = () => runSql<{ n: number | string }>(app.databaseUrl, `SELECT count(*) AS n FROM "Send" WHERE "state" = 'ACCEPTED'`);

describe("statements per send through the outbound queue", () => {
  it(`releases, posts and records ${SENDS} held sends in at most 17 statements per send`, async () => {
    await app.deliver(accountUpdate(B.wabaId, now() - 30, { event: "ACCOUNT_OFFBOARDED" }));
    for (let i = 0; i < SENDS; i++) expect((await sendOne(i)).errors).toBeUndefined();
    const statements = await statementsOf(async () => {
      await app.deliver(accountUpdate(B.wabaId, now() - 10, { event: "ACCOUNT_RECONNECTED" }));
      await eventually(accepted, (rows) => Number(rows[0]!.n) === SENDS, `${SENDS} sends ACCEPTED`, 60_000);
    });
    // The test's own polling (runSql above) runs on the same driver on SQLite: not the queue's.
    const queue = statements.filter((s) => !s.startsWith(`SELECT count(*) AS n FROM "Send"`));
    expect(queue.length / SENDS, queue.join("\n")).toBeLessThanOrEqual(17);
    expect(fake.sends()).toHaveLength(SENDS);
  }, 120_000);
});
