import { outboundStatus, type SampleBusiness } from "./samples.ts";
import { sendDelivery, type SendResult } from "./sender.ts";

/**
 * The fake Graph API's webhooks back to the hub: for each message it accepted, Meta's statuses
 * sent → delivered → read, each its own delivery signed with the app secret (as Meta posts them),
 * so a hub can be watched advancing its messages without Meta.
 */
export interface StatusWebhooks {
  /** The hub's base URL (its webhook route is under it), e.g. http://127.0.0.1:4000. */
  url: string;
  /** The app secret the hub checks X-Hub-Signature-256 with. */
  appSecret: string;
  /** The WABA and display number of a phone number id (a send names only the number); null: no statuses for it. */
  businessOf(phoneNumberId: string): SampleBusiness | null;
  /** Between one status and the next (default 50 ms). */
  stepMs?: number;
}

export interface PostedStatus {
  wamid: string;
  status: "sent" | "delivered" | "read";
  result: SendResult;
}

const STEPS = ["sent", "delivered", "read"] as const;

export function statusPoster(options: StatusWebhooks, onPosted: (p: PostedStatus) => void) {
  const timers = new Set<NodeJS.Timeout>();
  const posting = new Set<Promise<void>>();
  let closed = false;
  return {
    /** Schedules the statuses of a message accepted for `user` (to) or `userId` (recipient). */
    accepted(phoneNumberId: string, wamid: string, user: { to: string } | { recipient: string }) {
      const business = options.businessOf(phoneNumberId);
      if (!business || closed) return;
      STEPS.forEach((status, i) => {
        const timer = setTimeout(
          () => {
            timers.delete(timer);
            const payload = outboundStatus(business, {
              wamid,
              ...("to" in user ? { user: user.to } : { userId: user.recipient }),
              at: Math.floor(Date.now() / 1000),
              status,
            });
            const p = sendDelivery({ url: options.url, secret: options.appSecret }, payload).then((result) => onPosted({ wamid, status, result }));
            posting.add(p);
            void p.finally(() => posting.delete(p));
          },
          (i + 1) * (options.stepMs ?? 50),
        );
        timers.add(timer);
      });
    },
    async close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      await Promise.allSettled([...posting]);
    },
  };
}
