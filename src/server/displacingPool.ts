/**
 * At most `max` members, oldest first out: adding to a full pool displaces (and hands to
 * `displace`) the member that has waited longest. For sockets that have not yet shown they are
 * real clients (no whole request head, no connection_init): a flood of them can then only push
 * out its own kind, and a client that completes its handshake leaves the pool before it is pushed.
 */
export interface DisplacingPool<T> {
  add(member: T): void;
  /** Leaves the pool (handshake done, or closed); nothing if it is not in it. */
  delete(member: T): void;
  readonly size: number;
}

export interface PoolOptions {
  /**
   * Check the limit one turn of the event loop after an add instead of at once. Node accepts every
   * queued connection before it reads from any: checked at once, a burst of fast clients would
   * push each other out before their request heads were read.
   */
  deferred?: boolean;
}

export function createDisplacingPool<T>(max: number, displace: (member: T) => void, options: PoolOptions = {}): DisplacingPool<T> {
  // A Set iterates in insertion order: its first member is the oldest.
  const members = new Set<T>();
  let scheduled = false;
  const enforce = () => {
    scheduled = false;
    // Deleting while iterating a Set is defined: the loop goes on with the next oldest.
    for (const oldest of members) {
      if (members.size <= max) break;
      members.delete(oldest);
      displace(oldest);
    }
  };
  return {
    add(member) {
      members.add(member);
      if (members.size <= max) return;
      if (!options.deferred) return enforce();
      if (scheduled) return;
      scheduled = true;
      // After this turn's poll phase, the next one reads what the new sockets sent; then check.
      setImmediate(() => setImmediate(enforce));
    },
    delete: (member) => void members.delete(member),
    get size() {
      return members.size;
    },
  };
}
