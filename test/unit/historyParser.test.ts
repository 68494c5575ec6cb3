import { describe, expect, it } from "vitest";
import { fixture } from "../helpers/meta.ts";
import { FIXTURE_BUSINESS, USER, parse, ofKind, only, valueOf, parseError, unix } from "../helpers/parsers.ts";

// The `history` field (src/webhooks/fields/history.ts): chunks, the direction rule, declines and media fills.

describe("history: a shared chunk", () => {
  const events = () => parse(fixture("history/chunk_approved"));

  it("starts with one HistoryChunkInput carrying phase, chunk_order, progress and the message count", () => {
    const [first] = events();
    expect(first).toEqual({
      kind: "historyChunk",
      business: FIXTURE_BUSINESS,
      phase: 0,
      chunkOrder: 1,
      progress: 55,
      messageCount: 4,
    });
  });

  it("is followed by its messages, all with source HISTORY, in the order Meta sent them", () => {
    const messages = ofKind(events(), "message");
    expect(events().map((e) => e.kind)).toEqual(["historyChunk", "message", "message", "message", "message"]);
    expect(messages.map((m) => m.source)).toEqual(["HISTORY", "HISTORY", "HISTORY", "HISTORY"]);
    expect(messages.map((m) => m.wamid)).toEqual(
      valueOf(fixture("history/chunk_approved")).history[0].threads.flatMap((t: any) => t.messages.map((m: any) => m.id)),
    );
  });

  it("a message from the business number is OUTBOUND, one from the user INBOUND", () => {
    expect(ofKind(events(), "message").map((m) => m.direction)).toEqual(["OUTBOUND", "OUTBOUND", "INBOUND", "OUTBOUND"]);
  });

  it("every message's waId is its thread's id, whoever sent it", () => {
    expect(ofKind(events(), "message").map((m) => m.user.waId)).toEqual([USER, USER, USER, "12125557890"]);
  });

  it("history_context.status becomes the message status", () => {
    expect(ofKind(events(), "message").map((m) => m.status)).toEqual(["READ", "PLAYED", "READ", "DELIVERED"]);
  });

  it("a media_placeholder is kept as a message of type media_placeholder, without text", () => {
    const placeholder = ofKind(events(), "message")[1]!;
    expect(placeholder).toMatchObject({
      type: "media_placeholder",
      text: null,
      wamid: "wamid.QyNUEHBgLMTY0NjcwNDM1OTUVAgARGBI1Rj3NEYxMzAzMzQ5MkEA",
    });
  });

  it("a text keeps its URL", () => {
    expect(ofKind(events(), "message")[0]!.text).toBe("Here's the info you requested! https://www.meta.com/quest/quest-3/");
  });

  it("several chunks in one change each come with their own messages right after them", () => {
    const payload = fixture("history/chunk_approved");
    const [item] = valueOf(payload).history;
    const second = structuredClone(item);
    second.metadata.chunk_order = 2;
    second.threads = [second.threads[1]];
    valueOf(payload).history.push(second);
    const kinds = parse(payload).map((e) => (e.kind === "historyChunk" ? `chunk${e.chunkOrder}:${e.messageCount}` : e.kind));
    expect(kinds).toEqual(["chunk1:4", "message", "message", "message", "message", "chunk2:1", "message"]);
  });

  it("phase, chunk_order and progress sent as numeric strings are read as numbers", () => {
    const payload = fixture("history/chunk_approved");
    valueOf(payload).history[0].metadata = { phase: "1", chunk_order: "7", progress: "80" };
    expect(only(parse(payload), "historyChunk")).toMatchObject({ phase: 1, chunkOrder: 7, progress: 80 });
  });
});

describe("history: the direction rule", () => {
  const messages = () => ofKind(parse(fixture("history/chunk_with_formatted_numbers_and_to")), "message");

  it("'from' is compared with the display number as digits: '+1 (555) 078-3881' is the business", () => {
    expect(messages()[0]).toMatchObject({ direction: "OUTBOUND", status: "DELIVERED" });
  });

  it("a message with 'to' is OUTBOUND", () => {
    expect(messages()[1]!.direction).toBe("OUTBOUND");
  });

  it("'to' alone makes a message OUTBOUND, even when 'from' is not the display number", () => {
    const payload = fixture("history/chunk_with_formatted_numbers_and_to");
    valueOf(payload).history[0].threads[0].messages[1].from = "15550000000";
    expect(ofKind(parse(payload), "message")[1]!.direction).toBe("OUTBOUND");
  });

  it("a reaction from the user without 'to' is the user's", () => {
    expect(only(parse(fixture("history/chunk_with_formatted_numbers_and_to")), "reaction")).toMatchObject({ reactor: "USER", emoji: "👍" });
  });

  it("a thread id with '+' and dashes gives the digits as waId", () => {
    expect(messages().map((m) => m.user.waId)).toEqual([USER, USER]);
  });

  it("history's ERROR status is FAILED", () => {
    expect(messages()[1]!.status).toBe("FAILED");
  });

  it("without a display number, only 'to' makes a message OUTBOUND", () => {
    const payload = fixture("history/chunk_with_formatted_numbers_and_to");
    delete valueOf(payload).metadata.display_phone_number;
    expect(ofKind(parse(payload), "message").map((m) => m.direction)).toEqual(["INBOUND", "OUTBOUND"]);
    expect(only(parse(payload), "reaction").reactor).toBe("USER");
  });
});

describe("history: declined", () => {
  it("an item with errors[] (2593109) is one HistoryDeclinedInput with Meta's error", () => {
    expect(parse(fixture("history/declined"))).toEqual([
      {
        kind: "historyDeclined",
        business: FIXTURE_BUSINESS,
        error: {
          code: 2593109,
          title: "History sync is turned off by the business from the WhatsApp Business App",
          message: "History sync is turned off by the business from the WhatsApp Business App",
          details: "History sharing is turned off by the business",
        },
      },
    ]);
  });

  it("when an item carries several errors, the 2593109 one is the reason", () => {
    const payload = fixture("history/declined");
    valueOf(payload).history[0].errors.unshift({ code: 131000, title: "Something went wrong" });
    expect(only(parse(payload), "historyDeclined").error.code).toBe(2593109);
  });

  it("an item with neither errors[] nor metadata is a FieldParseError naming history.0.metadata", () => {
    const payload = fixture("history/declined");
    valueOf(payload).history[0] = { threads: [] };
    expect(parseError(payload)).toContain("history.0.metadata");
  });
});

describe("history: media for an earlier placeholder (value.messages[], no history[])", () => {
  it("is a MessageInput from HISTORY with the placeholder's wamid, now with its media", () => {
    const fill = only(parse(fixture("history/media_fill_for_placeholder")), "message");
    const placeholder = ofKind(parse(fixture("history/chunk_approved")), "message").find((m) => m.type === "media_placeholder")!;
    expect(fill.wamid).toBe(placeholder.wamid);
    expect(fill).toMatchObject({
      source: "HISTORY",
      type: "image",
      text: "Black Prince echeveria",
      timestamp: unix(1738796547),
      status: null,
    });
    expect(fill.content.image).toMatchObject({ id: "24230790383178626", mime_type: "image/jpeg" });
  });

  it("from the user: INBOUND, waId = digits(from)", () => {
    expect(only(parse(fixture("history/media_fill_for_placeholder")), "message")).toMatchObject({
      direction: "INBOUND",
      user: expect.objectContaining({ waId: USER }),
    });
  });

  it("from the business with 'to': OUTBOUND, waId = digits(to)", () => {
    const payload = fixture("history/media_fill_for_placeholder");
    Object.assign(valueOf(payload).messages[0], { from: "15550783881", to: "+1 650 555 1234" });
    expect(only(parse(payload), "message")).toMatchObject({ direction: "OUTBOUND", user: expect.objectContaining({ waId: USER }) });
  });

  it("from the business without 'to': OUTBOUND with an empty waId (only the wamid identifies it)", () => {
    const payload = fixture("history/media_fill_for_placeholder");
    valueOf(payload).messages[0].from = "15550783881";
    expect(only(parse(payload), "message")).toMatchObject({ direction: "OUTBOUND", user: { waId: null, userId: null } });
  });

  it("emits no chunk marker", () => {
    expect(ofKind(parse(fixture("history/media_fill_for_placeholder")), "historyChunk")).toEqual([]);
  });
});

describe("history: what is wrong throws FieldParseError naming the path", () => {
  it("a history_context.status that is not a string", () => {
    const payload = fixture("history/chunk_approved");
    valueOf(payload).history[0].threads[0].messages[1].history_context.status = 3;
    expect(parseError(payload)).toContain("history.0.threads.0.messages.1.history_context.status");
  });

  it("a progress that is not a number", () => {
    const payload = fixture("history/chunk_approved");
    valueOf(payload).history[0].metadata.progress = "half";
    expect(parseError(payload)).toContain("history.0.metadata.progress");
  });
});
