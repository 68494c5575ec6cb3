import type { Reserved } from "./reserve.ts";
import type { Going, Marked } from "./sending.ts";

/** What a lane needs from the worker. */
export interface LaneDeps {
  /** Commits SENDING for the sends whose turn has come (src/outbound/sending.ts). */
  mark(sends: readonly Reserved[], lastPlanned: number): Promise<Marked>;
  /**
   * A send whose time passed more than LATE_MS ago: when it may go now without crowding the
   * number's posts since (src/outbound/sending.ts replanLate); a failure answers "now".
   */
  replan(send: Reserved, at: number): Promise<number>;
  /** Posts one send and hands Meta's answer on to be recorded; resolves once it was handed on. */
  post(send: Reserved): Promise<void>;
  /** A mark failed (the sends stay reserved until their lease expires, then are picked again). */
  failed(error: unknown, sends: readonly Reserved[]): void;
  /** Sends left the lane's waiting list (marked, gone or dropped): the worker may reserve more. */
  took(): void;
}

export interface Lane {
  add(sends: readonly Reserved[]): void;
  /** Reserved sends not yet posted. */
  readonly waiting: number;
  /** Posts awaiting Meta's answer. */
  readonly inFlight: number;
  stop(): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A post held up longer than this past its time (a busy event loop or database) is planned again
 * before it goes. The spacing's 10 % margin (src/domain/sendPace.ts) leaves 100 ms of slack in any
 * one second; a post later than that lands in the next post's second, and with another instance's
 * posts planned from its time there may be one too many there (sendRate's two-instance case).
 */
const LATE_MS = 50;
/** Spacing below this is a rate above any Meta sets (1,000/s): nothing to keep, nothing to plan again. */
const UNPACED_MS = 1;

/**
 * One number's sends on their way out of this instance, in slot order: up to `inFlight` posts
 * awaiting Meta's answer at once (a direct integration waits for each; Meta's limit is per second,
 * which the slots keep), never two to one user at once, so one user's messages reach Meta in the
 * order they were made. Sends whose turn comes together are committed SENDING in one transaction.
 */
export function createLane(limits: { inFlight: number }, deps: LaneDeps): Lane {
  let waiting: Reserved[] = [];
  const busy = new Set<string>();
  let inFlight = 0;
  let lastPlanned = 0;
  let pumping = false;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  /** The next sends in slot order that may go now: room in flight, one per user, none behind a busy user's. */
  const pick = (): Reserved[] => {
    const picked: Reserved[] = [];
    // With posts under way, refill once half the room is free: one SENDING commit for several
    // sends rather than one per answer (a commit, fsync'd, costs more than a post).
    const room = limits.inFlight - inFlight;
    if (inFlight > 0 && room < Math.ceil(limits.inFlight / 2) && room < waiting.length) return picked;
    const users = new Set<string>();
    for (const r of waiting) {
      if (picked.length >= room) break;
      if (busy.has(r.recipient) || users.has(r.recipient)) {
        users.add(r.recipient);
        continue;
      }
      users.add(r.recipient);
      picked.push(r);
    }
    return picked;
  };

  const launch = (going: readonly Going[]) => {
    for (const { send, at } of going) {
      inFlight++;
      busy.add(send.recipient);
      lastPlanned = Math.max(lastPlanned, at);
      void sleep(Math.max(0, at - Date.now()))
        .then(async () => {
          // Checked again after each wait: the new time can be missed as well on a busy machine.
          for (let due = at; send.spacingMs >= UNPACED_MS && Date.now() - due > LATE_MS;) {
            due = await deps.replan(send, due);
            lastPlanned = Math.max(lastPlanned, due);
            await sleep(Math.max(0, due - Date.now()));
          }
          await deps.post(send);
        })
        .finally(() => {
          inFlight--;
          busy.delete(send.recipient);
          void pump();
        });
    }
  };

  const wake = (at: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => void pump(), Math.max(1, at - Date.now()));
  };

  async function pump(): Promise<void> {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        if (stopped) return;
        const picked = pick();
        if (picked.length === 0) break;
        // Not its turn yet: no transaction until it is (the mark would only say when).
        const turn = Math.max(picked[0]!.slot.getTime(), lastPlanned + picked[0]!.spacingMs);
        if (turn > Date.now()) {
          wake(turn);
          break;
        }
        let marked: Marked;
        try {
          marked = await deps.mark(picked, lastPlanned);
        } catch (error) {
          // Not ours to post any more without a fresh reservation: dropped here, queued again when the lease expires.
          deps.failed(error, picked);
          const ids = new Set(picked.map((r) => r.id));
          waiting = waiting.filter((r) => !ids.has(r.id));
          deps.took();
          again = true;
          continue;
        }
        const done = new Set([...marked.going.map((g) => g.send.id), ...marked.gone]);
        waiting = waiting.filter((r) => !done.has(r.id));
        deps.took();
        launch(marked.going);
        if (marked.nextAt !== null) {
          wake(marked.nextAt);
          break;
        }
        again = true;
      } while (again);
    } finally {
      pumping = false;
    }
  }

  return {
    add(sends) {
      waiting.push(...sends);
      waiting.sort((a, b) => a.slot.getTime() - b.slot.getTime());
      void pump();
    },
    get waiting() {
      return waiting.length;
    },
    get inFlight() {
      return inFlight;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
