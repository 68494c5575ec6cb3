import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { processesMarked, startServerProcess } from "../helpers/process.ts";

describe("a server process that does not start in time", () => {
  it("is killed, and the error says what the start waited for", async () => {
    const marker = `COEXIST_HUB_TEST_MARKER=${randomBytes(8).toString("hex")}`;
    const [key, value] = marker.split("=") as [string, string];
    await expect(startServerProcess({ [key]: value, DATABASE_URL: "file::memory:" }, { startTimeoutMs: 1 })).rejects.toThrow(
      /"Coexist Hub listening" line within/,
    );
    expect(processesMarked(marker)).toEqual([]);
  });
});
