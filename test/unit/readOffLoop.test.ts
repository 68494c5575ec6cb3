import { describe, expect, it } from "vitest";
import { parseDelivery } from "../../src/ingest/parseDelivery.ts";
import { offLoopParses, parseOffLoop } from "../../src/ingest/parseOffLoop.ts";
import { fixture, metaBytes } from "../helpers/meta.ts";
import { BUSINESS, historyChunkOfBytes, mirrorChange } from "../helpers/mirror.ts";

const receivedAt = new Date("2026-12-06T12:00:00Z");
const { chunk } = historyChunkOfBytes(3_000_000);
const chunkText = metaBytes(chunk).toString("utf8");

/** Counts the event loop's turns until `promise` settles. */
async function turnsWhile<T>(promise: Promise<T>): Promise<{ value: T; turns: number }> {
  let turns = 0;
  let done = false;
  const tick = () => {
    if (done) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  try {
    return { value: await promise, turns };
  } finally {
    done = true;
  }
}

describe("parsing a large delivery off the event loop", () => {
  it("gives what parsing it in place gives (a 3 MB history chunk)", async () => {
    expect(await parseOffLoop(chunkText, receivedAt)).toEqual(parseDelivery(chunkText, receivedAt));
  });

  it("gives what parsing it in place gives (15,000 statuses, half with pricing)", async () => {
    const statuses = mirrorChange(BUSINESS, "messages", {
      statuses: Array.from({ length: 15_000 }, (_, i) => ({
        id: `wamid.s-${i}`,
        status: i % 3 ? "read" : "delivered",
        timestamp: String(1_760_000_000 + i),
        recipient_id: "5511900000001",
        ...(i % 2 ? { pricing: { billable: true, pricing_model: "PMP", category: "utility", type: "regular" } } : {}),
      })),
    });
    const text = metaBytes(statuses).toString("utf8");
    expect(await parseOffLoop(text, receivedAt)).toEqual(parseDelivery(text, receivedAt));
  });

  it("gives what parsing it in place gives (3,000 template status changes: every list of a parse comes back)", async () => {
    const approved = fixture("message_template_status_update/approved");
    const change = approved.entry[0].changes[0];
    const many = {
      ...approved,
      entry: [{ ...approved.entry[0], changes: Array.from({ length: 3_000 }, (_, i) => ({ ...change, value: { ...change.value, message_template_id: i } })) }],
    };
    const text = metaBytes(many).toString("utf8");
    const inPlace = parseDelivery(text, receivedAt);
    expect(inPlace.signalEvents).toHaveLength(3_000);
    expect(await parseOffLoop(text, receivedAt)).toEqual(inPlace);
  });

  it("parses on its own thread and lets the event loop turn while the chunk is handed back", async () => {
    const before = offLoopParses();
    const { value, turns } = await turnsWhile(parseOffLoop(chunkText, receivedAt));
    expect(offLoopParses()).toEqual({ ...before, onThread: before.onThread + 1 });
    // At least one turn per piece of 500 events handed back (in place: none at all).
    expect(turns).toBeGreaterThanOrEqual(Math.ceil(value.mirrorEvents.length / 500));
  });

  it("fails with parseDelivery's reason when nothing of the delivery can be read", async () => {
    const unreadable = metaBytes(mirrorChange(BUSINESS, "messages", { messages: "not a list" })).toString("utf8");
    const inPlace = (() => {
      try {
        parseDelivery(unreadable, receivedAt);
        return "parsed";
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(inPlace).not.toBe("parsed");
    await expect(parseOffLoop(unreadable, receivedAt)).rejects.toThrow(inPlace);
  });
});
