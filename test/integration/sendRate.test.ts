import { describe, expect, it } from "vitest";
import { startApp, TEST_GRAPHQL, type TestApp, TEST_GRAPH } from "../helpers/app.ts";
import { runSql } from "../helpers/database.ts";
import { eventually } from "../helpers/eventually.ts";
import { GRAPH_TOKEN, mostInAnyWindow } from "../helpers/fakeGraph.ts";
import { mapLimit } from "../helpers/mapLimit.ts";
import { echo, inbound } from "../helpers/mirror.ts";
import { business, deliver, hubWithFake, key, now, send, user } from "../helpers/sending.ts";

const SET_RATE = `mutation R($p: String!, $r: Float) { setSendRate(phoneNumberId: $p, ratePerSecond: $r) { phoneNumberId sending { ratePerSecond } } }`;

const setRate = (app: TestApp, phoneNumberId: string, ratePerSecond: number | null) => app.graphql(SET_RATE, { p: phoneNumberId, r: ratePerSecond });

describe("a number's own send rate", () => {
  it("is shown by PhoneNumber.sending once set, and null sets it back to the default", async () => {
    const { app } = await hubWithFake();
    const b = business();
    await deliver(app, inbound(b, `wamid.in.${key()}`, user(), now() - 60, "hi"));
    expect((await setRate(app, b.phoneNumberId, 250)).data.setSendRate.sending.ratePerSecond).toBe(250);
    expect((await setRate(app, b.phoneNumberId, null)).data.setSendRate.sending.ratePerSecond).toBe(80);
  });

  it("never lifts a coexistence number above the coexistence rate", async () => {
    const { app } = await hubWithFake();
    const b = business();
    await deliver(app, echo(b, `wamid.echo.${key()}`, user(), now() - 60, "from the app"));
    expect((await setRate(app, b.phoneNumberId, 50)).data.setSendRate.sending.ratePerSecond).toBe(20);
    expect((await setRate(app, b.phoneNumberId, 5)).data.setSendRate.sending.ratePerSecond).toBe(5);
  });

  it("refuses a rate of 0 or above Meta's 1000 with BAD_USER_INPUT", async () => {
    const { app } = await hubWithFake();
    const b = business();
    await deliver(app, inbound(b, `wamid.in.${key()}`, user(), now() - 60, "hi"));
    for (const rate of [0, -1, 1001]) expect((await setRate(app, b.phoneNumberId, rate)).errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  // 40 sends at 8 a second, and a loaded machine slows them: more time than the default.
  it("paces the number's sends from two instances on one database together at the rate set", { timeout: 120_000 }, async () => {
    const { app: first, fake } = await hubWithFake();
    const second = await startApp({
      databaseUrl: first.databaseUrl,
      graph: { ...TEST_GRAPH, apiUrl: fake.url, token: GRAPH_TOKEN },
      graphql: { ...TEST_GRAPHQL, debugErrors: true },
    });
    const b = business();
    const users = Array.from({ length: 5 }, user);
    await deliver(first, inbound(b, `wamid.in.${key()}`, users[0]!, now() - 60, "hi"));
    expect((await setRate(first, b.phoneNumberId, 8)).errors).toBeUndefined();
    // 40 templates, 8 to each user (within Meta's pair burst), half through each instance.
    const inputs = Array.from({ length: 40 }, (_, i) => ({ phoneNumberId: b.phoneNumberId, to: users[i % 5], template: { name: `t_${i}`, language: "en" } }));
    const answers = await mapLimit(inputs, 4, (input, i) => send(i % 2 ? second : first, input));
    expect(answers.filter((a) => a.errors)).toEqual([]);
    await eventually(
      () => runSql<{ n: number | string }>(first.databaseUrl, `SELECT count(*) AS n FROM "Send" WHERE "state" = 'ACCEPTED'`),
      (rows) => Number(rows[0]!.n) === 40,
      "40 sends ACCEPTED",
      100_000,
    );
    expect(fake.sends()).toHaveLength(40);
    expect(mostInAnyWindow(fake.sends(), 1000)).toBeLessThanOrEqual(8);
  });
});
