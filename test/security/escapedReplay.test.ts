import { afterEach, describe, expect, it } from "vitest";
import * as samples from "../../src/cli/samples.ts";
import { escapeLikeMeta } from "../../src/webhooks/signature.ts";
import { TEST_PROVIDER } from "../helpers/app.ts";
import { metaBytes } from "../helpers/meta.ts";
import { startTarget } from "./target.ts";

// Issue #18, item 7: Meta signs a delivery's escaped form (non-ASCII as \uXXXX, `/` as `\/`), so
// the same signature verifies the body however those characters are spelt. A stored delivery
// re-sent in another spelling was stored and projected again, and moved a migrated number back to
// its old WABA. Every spelling of one signed delivery must be ALREADY_PROCESSED.
const target = await startTarget();
afterEach(() => target.stillSound());

const OLD = { wabaId: "350000000000001", phoneNumberId: "450000000000001", displayNumber: "15550003501" };
const NEW = { ...OLD, wabaId: "360000000000002" };
const message = (b: typeof OLD, n: number) =>
  samples.inboundText(b, {
    wamid: `wamid.replay.${n}`,
    user: "5511900003501",
    at: 1_760_000_000 + n,
    body: "café / crème https://example.com/a",
    profileName: "Zoé",
  });

/** Meta's bytes (UTF-8, `/` as `\/`), the same text with `/` bare, and with every escape Meta's signed form has. */
function spellings(payload: unknown) {
  const meta = metaBytes(payload);
  const text = meta.toString("utf8");
  return { meta, bareSlashes: Buffer.from(text.replaceAll("\\/", "/")), escaped: escapeLikeMeta(text) };
}

const numberIsIn = async () =>
  (await target.graphql(`{ wabas(first: 10) { edges { node { wabaId phoneNumbers { phoneNumberId } } } } }`)).data.wabas.edges
    .filter((e: any) => e.node.phoneNumbers.some((n: any) => n.phoneNumberId === OLD.phoneNumberId))
    .map((e: any) => e.node.wabaId);

describe(`a delivery re-sent in another spelling with its signature (${TEST_PROVIDER})`, () => {
  it("is the stored delivery: ALREADY_PROCESSED, not stored or projected again", async () => {
    const first = spellings(message(OLD, 1));
    const original = await target.deliver(first.meta, first.meta);
    expect(original.status).toBe(200);
    const before = target.signedAndAccepted;

    // The number moves to another WABA (a later delivery names it there).
    const moved = spellings(message(NEW, 2));
    expect((await target.deliver(moved.meta)).status).toBe(200);
    expect(await numberIsIn()).toEqual([NEW.wabaId]);

    for (const replay of [first.bareSlashes, first.escaped]) {
      expect(replay.equals(first.meta)).toBe(false);
      const res = await target.deliver(replay, first.meta);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ deliveryId: original.body.deliveryId, outcome: "ALREADY_PROCESSED" });
    }
    // Answered 200 but nothing new stored: the suite's count of stored deliveries goes back to the two sent.
    target.signedAndAccepted = before + 1;
    expect(await numberIsIn()).toEqual([NEW.wabaId]);
  });
});
