import { describe, expect, it } from "vitest";
import { accountUpdate, echo, historyChunkOf, inbound, type Business } from "../helpers/mirror.ts";
import { business, deliver, HOUR, hubWithFake, key, now, send, user } from "../helpers/sending.ts";

/** The gate's rules one by one (src/domain/sendGate.ts), each as sendMessage answers it. */

const restriction = (b: Business, type: string, expiration: number) =>
  accountUpdate(b.wabaId, now() - 30, { event: "ACCOUNT_RESTRICTION", restriction_info: [{ restriction_type: type, expiration }] });
const template = { name: "order_update", language: "en_US" };

describe("restrictions", () => {
  it("RESTRICTED_BIZ_INITIATED_MESSAGING refuses a template outside a window with CANNOT_SEND", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    const u = user();
    await deliver(app, echo(b, `wamid.echo.${key()}`, u, now() - 60, "number known"));
    await deliver(app, restriction(b, "RESTRICTED_BIZ_INITIATED_MESSAGING", now() + 24 * HOUR));
    const res = await send(app, { phoneNumberId: b.phoneNumberId, to: u, template });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "CANNOT_SEND", reason: "RESTRICTED_BIZ_INITIATED_MESSAGING" });
    expect(fake.requests).toEqual([]);
  });

  it("RESTRICTED_BIZ_INITIATED_MESSAGING lets a reply inside the window go", async () => {
    const { app } = await hubWithFake();
    const b = business();
    const u = user();
    await deliver(app, inbound(b, `wamid.in.${key()}`, u, now() - 60, "Olá"));
    await deliver(app, restriction(b, "RESTRICTED_BIZ_INITIATED_MESSAGING", now() + 24 * HOUR));
    const res = await send(app, { phoneNumberId: b.phoneNumberId, to: u, text: "Oi" });
    expect(res.errors).toBeUndefined();
    expect(res.data.sendMessage.send.state).toBe("QUEUED");
  });

  it("RESTRICTED_CUSTOMER_INITIATED_MESSAGING refuses a reply, even inside the window, with CANNOT_SEND", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    const u = user();
    await deliver(app, inbound(b, `wamid.in.${key()}`, u, now() - 60, "Olá"));
    await deliver(app, restriction(b, "RESTRICTED_CUSTOMER_INITIATED_MESSAGING", now() + 24 * HOUR));
    const res = await send(app, { phoneNumberId: b.phoneNumberId, to: u, text: "Oi" });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "CANNOT_SEND", reason: "RESTRICTED_CUSTOMER_INITIATED_MESSAGING" });
    expect(fake.requests).toEqual([]);
  });

  it("an expired restriction refuses nothing", async () => {
    const { app } = await hubWithFake();
    const b = business();
    const u = user();
    await deliver(app, echo(b, `wamid.echo.${key()}`, u, now() - 60, "number known"));
    await deliver(app, restriction(b, "RESTRICTED_BIZ_INITIATED_MESSAGING", now() - 60));
    const res = await send(app, { phoneNumberId: b.phoneNumberId, to: u, template });
    expect(res.errors).toBeUndefined();
    expect(res.data.sendMessage.send.state).toBe("QUEUED");
  });
});

describe("the service window", () => {
  it("is not opened by an echo alone: a reply is refused with OUTSIDE_SERVICE_WINDOW (never opened)", async () => {
    const { app } = await hubWithFake();
    const b = business();
    const u = user();
    await deliver(app, echo(b, `wamid.echo.${key()}`, u, now() - 60, "sent from the app"));
    const res = await send(app, { phoneNumberId: b.phoneNumberId, to: u, text: "hi" });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "OUTSIDE_SERVICE_WINDOW", reason: "NEVER_OPENED", windowClosedAt: null });
  });

  it("is not opened by the user's message in history sync alone, however recent", async () => {
    const { app } = await hubWithFake();
    const b = business();
    const u = user();
    await deliver(app, historyChunkOf(b, 0, 1, 100, [{ wamid: `wamid.hist.${key()}`, user: u, outbound: false, at: now() - 60, body: "from history" }]));
    const res = await send(app, { phoneNumberId: b.phoneNumberId, to: u, text: "hi" });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "OUTSIDE_SERVICE_WINDOW", reason: "NEVER_OPENED", windowClosedAt: null });
  });
});

describe("a PARTNER_REMOVED naming one phone number", () => {
  it("refuses that number's sends with CANNOT_SEND and lets the WABA's other numbers send", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    const sibling: Business = { ...b, phoneNumberId: `${b.phoneNumberId}7`, display: `${b.display}7` };
    const u = user();
    for (const n of [b, sibling]) await deliver(app, inbound(n, `wamid.in.${key()}`, u, now() - 60, "Olá"));
    await deliver(app, accountUpdate(b.wabaId, now() - 30, { event: "PARTNER_REMOVED", phone_number: b.display.replace(/\D/g, "") }));

    const removed = await send(app, { phoneNumberId: b.phoneNumberId, to: u, text: "Oi" });
    expect(removed.errors?.[0]?.extensions).toMatchObject({ code: "CANNOT_SEND", reason: "PARTNER_REMOVED" });
    expect(removed.errors?.[0]?.extensions?.recommendedAction).toBeTruthy();
    const other = await send(app, { phoneNumberId: sibling.phoneNumberId, to: u, text: "Oi" });
    expect(other.errors).toBeUndefined();
    expect(fake.requests.every((r) => r.phoneNumberId !== b.phoneNumberId)).toBe(true);
  });
});
