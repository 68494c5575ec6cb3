import pino from "pino";
import { describe, expect, it } from "vitest";
import { startPeriodic } from "../../src/periodic.ts";
import { eventually } from "../helpers/eventually.ts";

const log = pino({ level: "silent" });

describe("a periodic loop", () => {
  it("runs at once, tries again after a failure, and runs on demand without waiting for the interval", async () => {
    let runs = 0;
    const loop = startPeriodic(
      "a test loop",
      3_600_000,
      async () => {
        runs++;
        if (runs === 1) throw new Error("the first run fails");
      },
      log,
    );
    await eventually(
      async () => runs,
      (n) => n === 1,
      "the first run",
    );
    loop.trigger();
    await eventually(
      async () => runs,
      (n) => n === 2,
      "the run asked for",
    );
    await loop.stop();
  });

  it("queues one run at most behind the one in progress, and stop() waits for that run, its signal aborted", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    const seen: boolean[] = [];
    const loop = startPeriodic(
      "a test loop",
      3_600_000,
      async (signal) => {
        runs++;
        await gate;
        seen.push(signal.aborted);
      },
      log,
    );
    await eventually(
      async () => runs,
      (n) => n === 1,
      "the first run to start",
    );
    loop.trigger();
    loop.trigger();
    const stopped = loop.stop();
    release();
    await stopped;
    // The queued run saw the loop stopped and did not start.
    expect({ runs, seen }).toEqual({ runs: 1, seen: [true] });
  });
});
