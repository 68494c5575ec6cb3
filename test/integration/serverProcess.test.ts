import { readdirSync, readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { startServerProcess } from "../helpers/process.ts";

/** Processes whose environment carries `marker` (read from /proc, so nothing is taken on trust). */
function processesMarked(marker: string): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, "latin1").includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);
}

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
