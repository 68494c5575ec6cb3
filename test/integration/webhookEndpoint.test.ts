import { describe, expect, it } from "vitest";
import { APP_SECRET, SECOND_APP_SECRET, VERIFY_TOKEN, startApp } from "../helpers/app.ts";
import { fixture, metaBytes, signLikeMeta } from "../helpers/meta.ts";
import { createHmac } from "node:crypto";

const app = await startApp();

const countDeliveries = async () =>
  (await app.graphql<{ webhookDeliveries: { totalCount: number } }>("{ webhookDeliveries { totalCount } }")).data!.webhookDeliveries.totalCount;

describe("GET /webhooks/whatsapp (verification handshake)", () => {
  it("echoes hub.challenge as text/plain when the verify token matches", async () => {
    const res = await fetch(`${app.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await res.text()).toBe("1158201444");
  });

  it("answers 403 to a wrong verify token", async () => {
    const res = await fetch(`${app.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`);
    expect(res.status).toBe(403);
  });

  it("says in its 403 that the verify token was missing when the URL carries an empty one (an unset shell variable)", async () => {
    const res = await fetch(`${app.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=&hub.challenge=1`);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      code: "VERIFICATION_FAILED",
      error: "verification failed: hub.verify_token is missing or empty (in a shell, is the variable you put in the URL set?)",
    });
  });

  it("says in its 403 that the verify token differs, without telling the expected one", async () => {
    const res = await fetch(`${app.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`);
    const body = await res.text();
    expect(JSON.parse(body)).toEqual({
      code: "VERIFICATION_FAILED",
      error: "verification failed: hub.verify_token differs from the hub's WHATSAPP_VERIFY_TOKEN",
    });
    expect(body).not.toContain(VERIFY_TOKEN);
  });

  it("answers 403 when hub.mode is not subscribe", async () => {
    const res = await fetch(`${app.url}/webhooks/whatsapp?hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`);
    expect(res.status).toBe(403);
  });
});

describe("POST /webhooks/whatsapp signature", () => {
  const payload = fixture("account_update/account_violation_adult");

  it("accepts a delivery signed with the app secret", async () => {
    const res = await app.deliver(payload);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: "PROCESSED" });
  });

  it("accepts a delivery signed with a second configured secret (rotation, several apps)", async () => {
    const res = await app.deliver(fixture("account_update/account_deleted"), SECOND_APP_SECRET);
    expect(res.status).toBe(200);
  });

  it("answers 401 with a JSON error when the signature header is missing", async () => {
    const res = await app.post(metaBytes(payload));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ code: "BAD_SIGNATURE", error: "missing X-Hub-Signature-256 header" });
  });

  it("answers 401 when the body was signed with another secret", async () => {
    const res = await app.deliver(fixture("account_update/business_primary_location_country_update"), "not-our-secret");
    expect(res.status).toBe(401);
    expect((await res.json()).error).toMatch(/does not match/);
    const waba = await app.graphql('{ waba(wabaId: "102290129340398") { country } }');
    // The read itself must succeed: a GraphQL error would also leave no country.
    expect(waba.errors).toBeUndefined();
    expect(waba.data?.waba?.country ?? null).toBeNull();
  });

  it("answers 401 when the body was changed after signing", async () => {
    const bytes = metaBytes(payload);
    const signature = signLikeMeta(bytes, APP_SECRET);
    const res = await app.post(Buffer.from(bytes.toString().replace("ADULT", "SCAM")), { "X-Hub-Signature-256": signature });
    expect(res.status).toBe(401);
  });

  it("answers 401 to a malformed header", async () => {
    const res = await app.post(metaBytes(payload), { "X-Hub-Signature-256": "sha1=abc" });
    expect(res.status).toBe(401);
  });
});

describe("POST /webhooks/whatsapp bytes as Meta signs them", () => {
  // Meta signs the \uXXXX-escaped form of the payload; the bytes carry UTF-8 and `\/`.
  const withText = (text: string) => ({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "555000111",
        time: 1743451999,
        changes: [{ field: "account_update", value: { event: "ACCOUNT_VIOLATION", violation_info: { violation_type: text } } }],
      },
    ],
  });

  for (const [name, text] of [
    ["accents", "mangé à la crème brûlée"],
    ["emoji (surrogate pairs)", "order 📦 shipped 🚀"],
    ["a URL with escaped slashes", "see https://www.meta.com/quest/quest-3/"],
  ] as const) {
    it(`verifies and stores a body carrying ${name}`, async () => {
      const res = await app.deliver(withText(text));
      expect(res.status).toBe(200);
      const events = await app.graphql(
        `{ waba(wabaId: "555000111") { events(first: 50) { edges { node { ... on ViolationAccountEvent { violationType } } } } } }`,
      );
      expect(events.data.waba.events.edges.map((e: any) => e.node.violationType)).toContain(text);
    });
  }

  it("also accepts a signature over the raw bytes (what a plain HMAC of the body gives)", async () => {
    const bytes = metaBytes(withText("naïve café"));
    const raw = "sha256=" + createHmac("sha256", APP_SECRET).update(bytes).digest("hex");
    const res = await app.post(bytes, { "X-Hub-Signature-256": raw });
    expect(res.status).toBe(200);
  });

  it("rejects a signature computed over re-serialized JSON", async () => {
    const bytes = metaBytes(withText("https://example.com/é"));
    const reserialized = JSON.stringify(JSON.parse(bytes.toString()));
    const wrong = "sha256=" + createHmac("sha256", APP_SECRET).update(reserialized).digest("hex");
    const res = await app.post(bytes, { "X-Hub-Signature-256": wrong });
    expect(res.status).toBe(401);
  });
});

describe("POST /webhooks/whatsapp bad bodies", () => {
  const signed = (text: string) => app.post(text, { "X-Hub-Signature-256": signLikeMeta(text, APP_SECRET) });

  it("answers 413 above the configured size, before reading it all", async () => {
    const big = JSON.stringify({ object: "whatsapp_business_account", entry: [{ id: "1", changes: [], pad: "x".repeat(70_000) }] });
    const res = await signed(big);
    expect(res.status).toBe(413);
  });

  it("answers 400 to truncated JSON", async () => {
    const text = metaBytes(fixture("account_update/account_deleted")).toString().slice(0, 40);
    const res = await signed(text);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/not JSON/);
  });

  it("answers 400 to another object than whatsapp_business_account", async () => {
    const body = fixture("account_update/account_deleted");
    body.object = "page";
    const res = await signed(JSON.stringify(body));
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe('expected object "whatsapp_business_account", got "page"');
  });

  it("answers 400 to JSON without entries", async () => {
    const res = await signed(JSON.stringify({ object: "whatsapp_business_account" }));
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/entry/);
  });

  it("stores nothing for a rejected body", async () => {
    const before = await countDeliveries();
    expect((await signed("{nope")).status).toBe(400);
    expect((await signed(JSON.stringify({ object: "page", entry: [] }))).status).toBe(400);
    expect((await app.post("{}", { "X-Hub-Signature-256": "sha256=" + "0".repeat(64) })).status).toBe(401);
    expect(await countDeliveries()).toBe(before);
  });
});
