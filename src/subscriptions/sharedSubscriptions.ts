/**
 * One execution per distinct subscription, fanned out to all its subscribers.
 *
 * Every graphql-ws subscription used to run its own pub/sub listener, filter, GraphQL execution
 * of each event and async-iterator chain: with 1,000 subscribers to the same operation that is
 * 1,000 identical executions per event. Here subscriptions with the same key (the caller builds it
 * from everything that can change the result) share ONE source stream, started by the first of
 * them; each result it yields is handed, as the same object, to every member's own queue.
 *
 * - A member that joins later gets the results produced after it joined, as with a stream of its own.
 * - Completion and errors of the source reach every member (after the results queued before them).
 * - When the last member leaves, the source's `return()` is called and the key is free again; the
 *   next subscriber starts a new source.
 * - A start that yields a single result instead of a stream (e.g. variables that do not coerce) is
 *   given to every subscriber waiting on that start, and nothing is kept.
 * - A member may bring a `deliver` function (its socket's own send): a result that finds the member idle
 *   — its consumer waiting for the next one, nothing queued — is offered to it first, and only queued
 *   when it declines. That skips the consumer's per-result promise chain (a few allocations and turns
 *   of the microtask queue per subscriber per event) while it keeps up; a consumer that falls behind
 *   (deliver declines, e.g. its socket still has bytes to write) gets its results through the queue, in
 *   order, as before.
 */

type Start<T, R> = () => PromiseLike<AsyncIterable<T> | R> | AsyncIterable<T> | R;
/** Hands a result straight to the subscriber; false when it cannot take it now (then it is queued). */
export type Deliver<T> = (value: T) => boolean;

export interface SharedSubscriptions {
  /** Joins the stream of `key`, starting it with `start` when no subscriber has it open. */
  subscribe<T, R>(key: string, start: Start<T, R>, deliver?: Deliver<T>): Promise<AsyncIterableIterator<T> | R>;
  /** Keys with a live source (for tests and metrics). */
  readonly size: number;
}

export function createSharedSubscriptions(): SharedSubscriptions {
  // Each key has its own T and R; the map holds groups of every kind, read back by the same key.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: the key, not the map, fixes the types.
  const groups = new Map<string, Group<any, any>>();
  return {
    subscribe(key, start, deliver) {
      let group = groups.get(key);
      if (!group) {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as the map above.
        const created: Group<any, any> = new Group(start, () => {
          // A group only ever removes itself, never a newer group that took the key since.
          if (groups.get(key) === created) groups.delete(key);
        });
        groups.set(key, (group = created));
      }
      return group.join(deliver);
    },
    get size() {
      return groups.size;
    },
  };
}

function isAsyncIterable<T>(value: unknown): value is AsyncIterable<T> {
  return typeof value === "object" && value !== null && typeof (value as AsyncIterable<T>)[Symbol.asyncIterator] === "function";
}

class Group<T, R> {
  readonly #members = new Set<Member<T>>();
  readonly #forget: () => void;
  readonly #started: Promise<{ source: AsyncIterator<T> } | { single: R }>;
  #source: AsyncIterator<T> | null = null;
  #over = false;

  constructor(start: Start<T, R>, forget: () => void) {
    this.#forget = forget;
    this.#started = Promise.resolve()
      .then(start)
      .then(
        (outcome) => {
          if (!isAsyncIterable<T>(outcome)) {
            this.#end();
            return { single: outcome };
          }
          const source = outcome[Symbol.asyncIterator]();
          this.#source = source;
          // Everyone who waited on the start may have gone meanwhile (their sockets closed).
          if (this.#over || this.#members.size === 0) this.#close();
          // Pull at once: pub/sub listeners (Repeater) only attach on the first next().
          else void this.#pump(source);
          return { source };
        },
        (error: unknown) => {
          this.#end();
          throw error;
        },
      );
  }

  async join(deliver?: Deliver<T>): Promise<Member<T> | R> {
    const member = new Member<T>(() => this.#leave(member), deliver);
    this.#members.add(member);
    const started = await this.#started;
    if ("single" in started) {
      this.#members.delete(member);
      return started.single;
    }
    return member;
  }

  async #pump(source: AsyncIterator<T>): Promise<void> {
    try {
      for (;;) {
        const step = await source.next();
        if (step.done) break;
        // One IteratorResult for all members: consumers only read it.
        const shared: IteratorYieldResult<T> = { value: step.value, done: false };
        for (const member of this.#members) member.push(shared);
      }
      this.#end();
      for (const member of this.#members) member.end();
    } catch (error) {
      this.#end();
      for (const member of this.#members) member.fail(error);
    }
  }

  #leave(member: Member<T>): void {
    this.#members.delete(member);
    if (this.#members.size === 0 && !this.#over) {
      this.#end();
      this.#close();
    }
  }

  /** No one else may join: the next subscriber with this key starts a new source. */
  #end(): void {
    this.#over = true;
    this.#forget();
  }

  #close(): void {
    const source = this.#source;
    this.#source = null;
    // A source that fails to close has nobody left to tell.
    if (source?.return) void Promise.resolve(source.return()).catch(() => {});
  }
}

const DONE: IteratorResult<never> = { value: undefined, done: true };

/** One subscriber's view of a shared stream: its own queue, so a slow socket delays only itself. */
class Member<T> implements AsyncIterableIterator<T> {
  #queue: IteratorResult<T>[] = [];
  #waiting: { resolve(step: IteratorResult<T>): void; reject(error: unknown): void } | null = null;
  #ended = false;
  #failure: { error: unknown } | null = null;
  #left = false;

  constructor(
    private readonly leave: () => void,
    private readonly deliver?: Deliver<T>,
  ) {}

  push(step: IteratorYieldResult<T>): void {
    if (this.#left) return;
    const waiting = this.#waiting;
    // Idle (its consumer waits, so nothing of ours is in flight or queued): it may take the result itself.
    if (waiting && this.#offer(step.value)) return;
    if (waiting) {
      this.#waiting = null;
      waiting.resolve(step);
    } else this.#queue.push(step);
  }

  /**
   * Whether `deliver` took the value. One that throws has not: the value goes the queued way, whose
   * consumer meets the same failure and reports it to this subscriber alone, as it did before `deliver`
   * (thrown here, it would end the shared stream for every member).
   */
  #offer(value: T): boolean {
    try {
      return this.deliver?.(value) ?? false;
    } catch {
      return false;
    }
  }

  end(): void {
    this.#ended = true;
    this.#settleWaiting();
  }

  fail(error: unknown): void {
    this.#failure = { error };
    this.#ended = true;
    this.#settleWaiting();
  }

  next(): Promise<IteratorResult<T>> {
    const queued = this.#queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.#ended && !this.#left) {
      const failure = this.#failure;
      this.#left = true;
      // The source's own error, passed on unchanged (graphql-yoga formats it).
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      return failure ? Promise.reject(failure.error) : Promise.resolve(DONE);
    }
    if (this.#left) return Promise.resolve(DONE);
    return new Promise((resolve, reject) => (this.#waiting = { resolve, reject }));
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.#left) {
      this.#left = true;
      this.#queue = [];
      this.#waiting?.resolve(DONE);
      this.#waiting = null;
      this.leave();
    }
    return Promise.resolve(DONE);
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    void this.return();
    // The caller's own error, passed back as an iterator's throw() must.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #settleWaiting(): void {
    const waiting = this.#waiting;
    if (!waiting) return;
    this.#waiting = null;
    this.#left = true;
    if (this.#failure) waiting.reject(this.#failure.error);
    else waiting.resolve(DONE);
  }
}
