import { describe, expect, it } from "vitest";
import { TEST_PROVIDER, startApp } from "../helpers/app.ts";
import { fixture } from "../helpers/meta.ts";
import { inboundText } from "../helpers/mirror.ts";

// JSON may carry NUL ("\u0000"); PostgreSQL refuses it in text and jsonb, so such a delivery
// failed there while SQLite stored it (issue #9). The rule, at the envelope (wellFormed): every
// NUL becomes U+FFFD, so both databases store the same thing and the delivery is projected.
const app = await startApp();

describe(`NUL in a delivery (${TEST_PROVIDER})`, () => {
  it("stores a profile name with NUL as U+FFFD and projects the delivery", async () => {
    const res = await app.deliver(inboundText("wamid.nul.1", "5511900000077", 1_760_000_000, "oi\u0000", "Ana\u0000Souza"));
    expect(res.status).toBe(200);
    expect((await res.json()).outcome).not.toBe("FAILED");
    const threads = await app.graphql('{ threads(search: "5511900000077") { edges { node { contact { profileName } lastMessage { text } } } } }');
    expect(threads.data.threads.edges).toEqual([{ node: { contact: { profileName: "Ana\ufffdSouza" }, lastMessage: { text: "oi\ufffd" } } }]);
  });

  it("projects an account_update whose value holds NUL in a key and in a value", async () => {
    const payload = structuredClone(fixture("account_update/account_offboarded")) as any;
    payload.entry[0].changes[0].value = { event: "ACCOUNT_OFFBOARDED", "note\u0000": "a\u0000b" };
    const res = await app.deliver(payload);
    expect(res.status).toBe(200);
    expect((await res.json()).outcome).not.toBe("FAILED");
    const waba = await app.graphql('{ waba(wabaId: "862475293675413") { connectionState } }');
    expect(waba.data.waba.connectionState).toBe("OFFBOARDED");
  });
});
