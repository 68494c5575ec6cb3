import { describe, expect, it } from "vitest";
import { parseDelivery } from "../../src/webhooks/parseDelivery.ts";
import { readLarge, type LargeRead } from "../../src/webhooks/readLarge.ts";
import { offLoopReads, readOffLoop } from "../../src/webhooks/readOffLoop.ts";
import { READ_THREAD_NICE } from "../../src/webhooks/readWorker.ts";
import { escapeLikeMeta, verifySignature } from "../../src/webhooks/signature.ts";
import { contentHash } from "../../src/webhooks/contentHash.ts";
import { readFileSync, readdirSync } from "node:fs";
import { fixture, metaBytes, signLikeMeta } from "../helpers/meta.ts";
import { BUSINESS, historyChunkOfBytes, mirrorChange } from "../helpers/mirror.ts";

const SECRET = "read-off-loop-secret";
const DEPTH = 64;
const receivedAt = new Date("2026-12-06T12:00:00Z");
const chunk = metaBytes(historyChunkOfBytes(3_000_000).chunk);

const offLoop = (body: Buffer, header = signLikeMeta(body, SECRET)) => readOffLoop(body, header, [SECRET], DEPTH, receivedAt);
const inPlace = (body: Buffer, header = signLikeMeta(body, SECRET)) => readLarge(body, header, [SECRET], DEPTH, receivedAt);

/** The read's parse; fails the test when the body was refused or nothing of it could be read. */
function parseOf(read: LargeRead) {
  if (!read.ok) throw new Error(`refused: ${read.reason}`);
  if ("error" in read.parsed) throw new Error(`unreadable: ${read.parsed.error}`);
  return read.parsed;
}

/**
 * Whether two reads say the same; the signed bytes compared as bytes (a deep equality of a
 * megabyte Buffer goes index by index and takes minutes).
 */
function expectSameRead(read: LargeRead, expected: LargeRead): void {
  const { signed, ...rest } = read.ok ? read : { ...read, signed: null };
  const { signed: expectedSigned, ...expectedRest } = expected.ok ? expected : { ...expected, signed: null };
  expect(rest).toEqual(expectedRest);
  expect(signed === expectedSigned || (signed !== null && expectedSigned !== null && signed.equals(expectedSigned))).toBe(true);
}

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

describe("reading a large delivery off the event loop", () => {
  it("gives what reading it in place gives, and parses as parseDelivery does (a 3 MB history chunk, signed in Meta's escaped form)", async () => {
    const read = await offLoop(chunk);
    expectSameRead(read, inPlace(chunk));
    expect(read).toMatchObject({ ok: true, scheme: "ESCAPED_UNICODE", fields: ["history"] });
    // Hashed there too: the raw bytes, and the escaped form the signature covers.
    if (!read.ok) throw new Error("refused");
    expect(read.hashes).toEqual({ body: contentHash(chunk), signed: contentHash(escapeLikeMeta(chunk.toString("utf8"))) });
    expect(read.hashes.signed).not.toBe(read.hashes.body);
    expect(parseOf(read).whole).toEqual(parseDelivery(chunk.toString("utf8"), receivedAt));
  });

  it("gives what reading it in place gives (15,000 statuses, half with pricing, signed as sent)", async () => {
    const body = metaBytes(
      mirrorChange(BUSINESS, "messages", {
        statuses: Array.from({ length: 15_000 }, (_, i) => ({
          id: `wamid.s-${i}`,
          status: i % 3 ? "read" : "delivered",
          timestamp: String(1_760_000_000 + i),
          recipient_id: "5511900000001",
          ...(i % 2 ? { pricing: { billable: true, pricing_model: "PMP", category: "utility", type: "regular" } } : {}),
        })),
      }),
    );
    const read = await offLoop(body);
    expectSameRead(read, inPlace(body));
    expect(read.ok && read.scheme === "RAW" && read.signed.equals(body)).toBe(true);
    expect(parseOf(read).whole).toEqual(parseDelivery(body.toString("utf8"), receivedAt));
  });

  it("keeps each change's parse and each change's place, without its value (3,000 template status changes)", async () => {
    const approved = fixture("message_template_status_update/approved");
    const change = approved.entry[0].changes[0];
    const many = {
      ...approved,
      entry: [{ ...approved.entry[0], changes: Array.from({ length: 3_000 }, (_, i) => ({ ...change, value: { ...change.value, message_template_id: i } })) }],
    };
    const body = metaBytes(many);
    const read = await offLoop(body);
    expectSameRead(read, inPlace(body));
    const { whole, perChange } = parseOf(read);
    expect(whole).toEqual(parseDelivery(body.toString("utf8"), receivedAt));
    expect(whole.signalEvents).toHaveLength(3_000);
    expect(perChange.map((p) => p.signalEvents.length)).toEqual(Array(3_000).fill(1));
    if (!read.ok) throw new Error("refused");
    expect(read.changes[2_999]).toMatchObject({ entryIndex: 0, changeIndex: 2_999, field: "message_template_status_update", value: undefined });
  });

  it("reads on its own thread and lets the event loop turn while the chunk is handed back", async () => {
    const before = offLoopReads();
    const { value, turns } = await turnsWhile(offLoop(chunk));
    expect(offLoopReads()).toEqual({ ...before, onThread: before.onThread + 1 });
    // At least one turn per piece of 500 events handed back (in place: none at all).
    expect(turns).toBeGreaterThanOrEqual(Math.ceil(parseOf(value).whole.mirrorEvents.length / 500));
  });

  it.runIf(process.platform === "linux")("runs its thread below the event loop's priority, so the loop gets the core first", async () => {
    await offLoop(chunk);
    const niceOf = (tid: string) => Number(readFileSync(`/proc/self/task/${tid}/stat`, "utf8").split(") ")[1]!.split(" ")[16]);
    const nice = readdirSync("/proc/self/task").map(niceOf);
    expect(niceOf(String(process.pid))).toBe(0);
    expect(nice).toContain(READ_THREAD_NICE);
  });

  it("says why, with parseDelivery's reason, when nothing of the delivery can be read", async () => {
    const unreadable = metaBytes(mirrorChange(BUSINESS, "messages", { messages: "not a list" }));
    const reason = (() => {
      try {
        parseDelivery(unreadable.toString("utf8"), receivedAt);
        return "parsed";
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(reason).not.toBe("parsed");
    expect(await offLoop(unreadable)).toMatchObject({ ok: true, parsed: { error: reason } });
  });

  it("refuses what the route refuses, with its codes and reasons", async () => {
    const wrong = signLikeMeta(chunk, "another secret");
    expect(await offLoop(chunk, wrong)).toEqual({
      ok: false,
      code: "BAD_SIGNATURE",
      reason: (verifySignature(chunk, wrong, [SECRET]) as { reason: string }).reason,
    });
    expect(await offLoop(chunk, "sha1=nothing")).toMatchObject({ ok: false, code: "BAD_SIGNATURE" });
    const cut = chunk.subarray(0, chunk.length - 10);
    expect(await offLoop(cut)).toMatchObject({ ok: false, code: "BAD_BODY", reason: expect.stringMatching(/^body is not JSON: /) });
    const deep = Buffer.from(
      `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"x","value":${"[".repeat(5_000)}${"]".repeat(5_000)}}]}]}`,
    );
    expect(await offLoop(deep)).toEqual({ ok: false, code: "BAD_BODY", reason: "JSON nested deeper than 64 levels" });
    const page = metaBytes({ object: "page", entry: [{ id: "1", changes: [] }] });
    expect(await offLoop(page)).toEqual({ ok: false, code: "BAD_BODY", reason: 'expected object "whatsapp_business_account", got "page"' });
  });
});
