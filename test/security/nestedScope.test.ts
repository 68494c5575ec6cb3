import { afterEach, describe, expect, it } from "vitest";
import * as samples from "../../src/cli/samples.ts";
import { TEST_PROVIDER } from "../helpers/app.ts";
import { graphqlAnswer } from "../helpers/graphql.ts";
import { metaBytes } from "../helpers/meta.ts";
import { makeToken } from "../helpers/tokens.ts";
import { startTarget } from "./target.ts";

// Issue #18, item 6: a token scoped to WABA A read WABA B's rows through a nested field
// (`webhookDeliveries { phoneNumberErrors }`) while the root field answered nothing of B's.
// test/integration/tokenScopes.test.ts walks every field; this is the attack as it was reported.
const target = await startTarget();
afterEach(() => target.stillSound());

const A = { wabaId: "330000000000001", phoneNumberId: "430000000000001", displayNumber: "15550003001" };
const B = { wabaId: "340000000000002", phoneNumberId: "440000000000002", displayNumber: "15550003002" };
for (const b of [A, B]) {
  const errors = samples.phoneNumberErrors(b, [{ code: 130429, title: "Rate limit hit", details: `too many messages from ${b.phoneNumberId}` }]);
  expect((await target.deliver(metaBytes(errors))).status).toBe(200);
}
const adminA = await makeToken(target.databaseUrl, { name: "admin-a", wabaIds: [A.wabaId], scope: "admin" });
const asAdminA = (query: string) => graphqlAnswer(target.url, query, undefined, { token: adminA });

describe(`a token scoped to one WABA, nested fields (${TEST_PROVIDER})`, () => {
  it("reads no other WABA's phone-number errors through webhookDeliveries { phoneNumberErrors }", async () => {
    const query = "{ webhookDeliveries(first: 10) { edges { node { id phoneNumberErrors { phoneNumberId wabaId details } } } } }";
    // Full access sees both WABAs' errors through this very query: the scoped answer below can fail.
    expect(JSON.stringify((await target.graphql(query)).data)).toContain(B.phoneNumberId);
    const scoped = await asAdminA(query);
    expect(scoped.body.errors).toBeUndefined();
    // Both deliveries are listed (the admin power reads deliveries, which can span WABAs), only A's rows under them.
    expect(scoped.body.data.webhookDeliveries.edges).toHaveLength(2);
    expect(JSON.stringify(scoped.body.data)).toContain(A.phoneNumberId);
    expect(JSON.stringify(scoped.body)).not.toContain(B.phoneNumberId);
    expect(JSON.stringify(scoped.body)).not.toContain(B.wabaId);
  });

  it("reads no other WABA's phone-number errors through replayDeliveries { delivery { phoneNumberErrors } }", async () => {
    const ids = (
      await target.graphql(`{ phoneNumberErrors(first: 5, phoneNumberId: "${B.phoneNumberId}") { edges { node { deliveryId } } } }`)
    ).data.phoneNumberErrors.edges.map((e: { node: { deliveryId: string } }) => e.node.deliveryId);
    expect(ids).toHaveLength(1);
    const scoped = await asAdminA(
      `mutation { replayDeliveries(ids: ${JSON.stringify(ids)}) { outcome delivery { phoneNumberErrors { phoneNumberId details } } } }`,
    );
    expect(scoped.body.errors).toBeUndefined();
    expect(scoped.body.data.replayDeliveries).toEqual([{ outcome: "ALREADY_PROCESSED", delivery: { phoneNumberErrors: [] } }]);
  });
});
