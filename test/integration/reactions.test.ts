import { describe, expect, it } from "vitest";
import { startApp, type TestApp } from "../helpers/app.ts";
import { deliverAll } from "../helpers/deliveries.ts";
import { fixture } from "../helpers/meta.ts";
import { PHONE_ID, echoText, historyChunk, inboundText } from "../helpers/mirror.ts";
import { subscribe, wsClient } from "../helpers/subscriptions.ts";

// Shapes: Meta's reaction messages webhook reference (a removal comes without `emoji`) and the
// text messages webhook reference's ad-click sample (test/fixtures/README.md, "Reactions and referrals").
const USER = "16505551234";
/** The business message messages/reaction.json reacts to. */
const BUSINESS_MESSAGE = "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI0QjY3RTI5ODFBQzM0NDVFQTUA";
/** The user message smb_message_echoes/reaction.json reacts to. */
const USER_MESSAGE = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUlOQk9VTkRURVhUMDAwMDAxAA==";
const REACTION = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTA3RDg5RTBGMUEyQjNDNEQ1RQA=";

async function messages(app: TestApp) {
  const r = await app.graphql(
    `query ($p: String!, $w: String!) { threadByParticipants(phoneNumberId: $p, waId: $w) {
      messages(first: 20) { edges { node { wamid type text content reactions { emoji from at wamid } referral {
        sourceUrl sourceId sourceType headline body mediaType imageUrl videoUrl thumbnailUrl ctwaClid } } } } } }`,
    { p: PHONE_ID, w: USER },
  );
  expect(r.errors).toBeUndefined();
  return r.data.threadByParticipants.messages.edges.map((e: any) => e.node);
}

const reactionsOn = async (app: TestApp, wamid: string) => (await messages(app)).find((m: any) => m.wamid === wamid)?.reactions;

/** messages/reaction.json with another emoji, wamid and time (unix seconds). */
function reaction(emoji: string | null, wamid: string, at: number) {
  const payload = fixture("messages/reaction");
  const message = payload.entry[0].changes[0].value.messages[0];
  Object.assign(message, { id: wamid, timestamp: String(at) });
  if (emoji === null) delete message.reaction.emoji;
  else message.reaction.emoji = emoji;
  return payload;
}

const businessMessage = () => echoText(BUSINESS_MESSAGE, USER, 1749854000, "Seu pedido saiu para entrega 🚚");

describe("reactions", () => {
  it("a user's reaction attaches to the message it names and is not listed as a message of the thread", async () => {
    const app = await startApp();
    await deliverAll(app, [businessMessage(), fixture("messages/reaction")]);
    const listed = await messages(app);
    expect(listed.map((m: any) => m.wamid)).toEqual([BUSINESS_MESSAGE]);
    expect(listed[0].reactions).toEqual([{ emoji: "❤️", from: "USER", at: new Date(1749854940_000).toISOString(), wamid: REACTION }]);
    await app.stop();
  });

  it("a reaction that arrives before its message is applied when the message lands", async () => {
    const app = await startApp();
    await deliverAll(app, [fixture("messages/reaction"), businessMessage()]);
    expect(await reactionsOn(app, BUSINESS_MESSAGE)).toEqual([expect.objectContaining({ emoji: "❤️", from: "USER" })]);
    await app.stop();
  });

  it("a reaction without emoji (Meta's removal) removes the user's reaction", async () => {
    const app = await startApp();
    await deliverAll(app, [businessMessage(), fixture("messages/reaction"), fixture("messages/reaction_removed")]);
    expect(await reactionsOn(app, BUSINESS_MESSAGE)).toEqual([]);
    await app.stop();
  });

  it("a removal that arrives before the reaction it removes still wins: the later one by Meta's time counts", async () => {
    const app = await startApp();
    await deliverAll(app, [fixture("messages/reaction_removed"), businessMessage(), fixture("messages/reaction")]);
    expect(await reactionsOn(app, BUSINESS_MESSAGE)).toEqual([]);
    await app.stop();
  });

  it("a newer reaction replaces the reactor's older one by timestamp, not by arrival", async () => {
    const app = await startApp();
    await deliverAll(app, [businessMessage(), reaction("👍", "wamid.reaction.newer", 1749855500), reaction("😮", "wamid.reaction.older", 1749855400)]);
    expect(await reactionsOn(app, BUSINESS_MESSAGE)).toEqual([expect.objectContaining({ emoji: "👍", wamid: "wamid.reaction.newer" })]);
    await app.stop();
  });

  it("the business's reaction from the app (an echo) counts beside the user's, one each", async () => {
    const app = await startApp();
    const userReaction = reaction("😂", "wamid.reaction.user", 1749855200);
    userReaction.entry[0].changes[0].value.messages[0].reaction.message_id = USER_MESSAGE;
    await deliverAll(app, [inboundText(USER_MESSAGE, USER, 1749855000, "Chegou, obrigada!"), fixture("smb_message_echoes/reaction"), userReaction]);
    expect((await reactionsOn(app, USER_MESSAGE)).map((r: any) => [r.from, r.emoji])).toEqual([
      ["USER", "😂"],
      ["BUSINESS", "🙏"],
    ]);
    await app.stop();
  });

  it("a reaction and its removal are pushed on messages as changes of the target message, a stale one not at all", async () => {
    const app = await startApp();
    await deliverAll(app, [businessMessage()]);
    const live = await subscribe(wsClient(app.url), `subscription { messages { wamid reactions { emoji from } } }`);
    await deliverAll(app, [fixture("messages/reaction"), reaction("😮", "wamid.reaction.stale", 1749854000), fixture("messages/reaction_removed")]);
    // The stale reaction (older than the ❤️) publishes nothing: the next result is the removal.
    expect((await live.next(2)).map((r: any) => r.messages)).toEqual([
      { wamid: BUSINESS_MESSAGE, reactions: [{ emoji: "❤️", from: "USER" }] },
      { wamid: BUSINESS_MESSAGE, reactions: [] },
    ]);
    await app.stop();
  });
});

describe("referral", () => {
  it("a message sent after a click-to-WhatsApp ad has its referral as a typed field, and in content", async () => {
    const app = await startApp();
    const payload = fixture("messages/inbound_text_ctwa_referral");
    await deliverAll(app, [payload]);
    const [message] = await messages(app);
    const sent = payload.entry[0].changes[0].value.messages[0];
    expect(message.referral).toEqual({
      sourceUrl: "https://fb.me/3cr4Wqqkv",
      sourceId: "120226305854810726",
      sourceType: "ad",
      headline: "Chat with us",
      body: "Mochilas de lona, frete grátis até sexta ✨",
      mediaType: "image",
      imageUrl: "https://scontent.xx.fbcdn.net/v/t45.1600-4/518949986_n.png",
      videoUrl: null,
      thumbnailUrl: null,
      ctwaClid: sent.referral.ctwa_clid,
    });
    expect(message.content.referral).toEqual(sent.referral);
    await app.stop();
  });

  it("a message whose history copy came first gets its referral when the live webhook arrives", async () => {
    const app = await startApp();
    const payload = fixture("messages/inbound_text_ctwa_referral");
    const sent = payload.entry[0].changes[0].value.messages[0];
    await deliverAll(app, [
      historyChunk(0, 1, 100, [{ wamid: sent.id, user: USER, outbound: false, at: Number(sent.timestamp), body: sent.text.body }]),
      payload,
    ]);
    const [message] = await messages(app);
    expect(message.wamid).toBe(sent.id);
    expect(message.referral).toMatchObject({ sourceId: "120226305854810726", ctwaClid: sent.referral.ctwa_clid });
    await app.stop();
  });

  it("a message without referral has none", async () => {
    const app = await startApp();
    await deliverAll(app, [inboundText(USER_MESSAGE, USER, 1749855000, "Oi")]);
    expect((await messages(app))[0].referral).toBeNull();
    await app.stop();
  });
});
