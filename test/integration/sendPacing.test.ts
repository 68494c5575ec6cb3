import { describe, expect, it } from "vitest";
import { startApp, TEST_GRAPH } from "../helpers/app.ts";
import { runSql } from "../helpers/database.ts";
import { eventually } from "../helpers/eventually.ts";
import { fakeGraph, GRAPH_TOKEN, mostInAnyWindow } from "../helpers/fakeGraph.ts";
import { mapLimit } from "../helpers/mapLimit.ts";
import { echo, type Business } from "../helpers/mirror.ts";

const SEND = `mutation Send($input: SendMessageInput!) { sendMessage(input: $input) { id send { state } } }`;
const B: Business = { wabaId: "940000000000001", phoneNumberId: "950000000000001", display: "+1 555 0100" };
const USERS = ["5511910000001", "5511910000002", "5511910000003", "5511910000004", "5511910000005"];

describe("outbound pace", () => {
  it("sends 200 messages to one coexistence number at no more than 20 in any one second at the fake, all of them once", { timeout: 120_000 }, async () => {
    const fake = await fakeGraph();
    const app = await startApp({ graph: { ...TEST_GRAPH, apiUrl: fake.url, token: GRAPH_TOKEN } });
    // An echo names the number: it shares the WhatsApp Business app, so Meta allows it 20 messages per second.
    expect((await app.deliver(echo(B, "wamid.echo.pace", USERS[0]!, Math.floor(Date.now() / 1000) - 60, "from the app"))).status).toBe(200);
    // 40 to each of 5 users: within Meta's pair burst, so only the number's pace spaces them.
    const inputs = Array.from({ length: 200 }, (_, i) => ({
      phoneNumberId: B.phoneNumberId,
      to: USERS[i % USERS.length],
      template: { name: `promo_${i}`, language: "pt_BR" },
      idempotencyKey: `pace-${i}`,
    }));
    const answers = await mapLimit(inputs, 8, (input) => app.graphql(SEND, { input }));
    expect(answers.filter((a) => a.errors)).toEqual([]);

    await eventually(
      () => runSql<{ n: number | string }>(app.databaseUrl, `SELECT count(*) AS n FROM "Send" WHERE "state" = 'ACCEPTED'`),
      (rows) => Number(rows[0]!.n) === 200,
      "200 sends ACCEPTED",
      90_000,
    );
    const sends = fake.sends();
    expect(sends).toHaveLength(200);
    expect(new Set(sends.map((s) => (s.body.template as { name: string }).name)).size).toBe(200);
    expect(mostInAnyWindow(sends, 1000)).toBeLessThanOrEqual(20);
  });
});
