import type { createPubSub } from "graphql-yoga";

/** What yoga's createPubSub takes as `eventTarget`. */
type PubSubTarget = NonNullable<NonNullable<Parameters<typeof createPubSub>[0]>["eventTarget"]>;

/**
 * The in-memory event target of the hub's pub/sub: one set of listeners per topic, the way Redis's
 * event target keeps them. Yoga's default is Node's EventTarget, which takes every subscription as a
 * listener and warns ("MaxListenersExceededWarning: Possible EventTarget memory leak detected. 11
 * message listeners") from the 11th listener of one topic. Eleven subscriptions to `messages` with
 * different arguments (agents each on their thread) is an ordinary afternoon for a hub, not a leak,
 * and a warning that fires for it would hide a real one. A listener is removed when its subscription
 * stops (the pub/sub's repeater removes it): `listenerCount` lets a test see that.
 */
export class LocalEventTarget implements PubSubTarget {
  readonly #byTopic = new Map<string, Set<EventListenerOrEventListenerObject>>();

  addEventListener(topic: string, listener: EventListenerOrEventListenerObject | null): void {
    if (!listener) return;
    let listeners = this.#byTopic.get(topic);
    if (!listeners) this.#byTopic.set(topic, (listeners = new Set()));
    listeners.add(listener);
  }

  removeEventListener(topic: string, listener: EventListenerOrEventListenerObject | null): void {
    const listeners = this.#byTopic.get(topic);
    if (!listener || !listeners) return;
    listeners.delete(listener);
    if (listeners.size === 0) this.#byTopic.delete(topic);
  }

  dispatchEvent(event: Event): boolean {
    // A copy: a listener may end its subscription (and so remove itself) while it is called.
    for (const listener of [...(this.#byTopic.get(event.type) ?? [])]) {
      if (typeof listener === "function") listener(event);
      else listener.handleEvent(event);
    }
    return true;
  }

  listenerCount(topic: string): number {
    return this.#byTopic.get(topic)?.size ?? 0;
  }
}
