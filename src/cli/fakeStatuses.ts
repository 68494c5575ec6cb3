import { outboundStatus, type SampleBusiness, type SampleError } from "./samples.ts";
import { sendDelivery, type SendResult } from "./sender.ts";

/**
 * The fake Graph API's webhooks back to the hub: for each message it accepted, Meta's statuses
 * sent → delivered → read, each its own delivery signed with the app secret (as Meta posts them),
 * so a hub can be watched advancing its messages without Meta. A send told to fail later gets
 * sent → failed instead, the failed status carrying Meta's error (statuses[].errors[]): Meta
 * accepts a message (answers its wamid) and only then finds it cannot deliver it.
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
  status: "sent" | "delivered" | "read" | "failed";
  result: SendResult;
}

/** A send Meta accepts and later reports `failed`. */
export interface LateFailure {
  /** Meta's code: 131047 (more than 24 hours since the user replied), 131026 (undeliverable), or any other. */
  code: number;
  /** After the `sent` status, how long until `failed` (default: one step). */
  afterMs?: number;
}

/** Meta's words for the codes a status most often fails with (https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes). */
const ERROR_WORDS: Record<number, Omit<SampleError, "code">> = {
  131047: {
    title: "Re-engagement message",
    details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
  },
  131026: {
    title: "Message undeliverable",
    details:
      "Unable to deliver message. Reasons can include: the recipient phone number is not a WhatsApp phone number; the recipient has not accepted our new Terms of Service and Privacy Policy; the recipient is using an old WhatsApp version.",
  },
};

export function lateError(code: number): SampleError {
  return { code, ...(ERROR_WORDS[code] ?? { title: `Error ${code}`, details: `The fake Graph API failed this message with ${code}.` }) };
}

const STEPS = ["sent", "delivered", "read"] as const;

export function statusPoster(options: StatusWebhooks, onPosted: (p: PostedStatus) => void) {
  const timers = new Set<NodeJS.Timeout>();
  const posting = new Set<Promise<void>>();
  let closed = false;
  return {
    /** Schedules the statuses of a message accepted for `user` (to) or `userId` (recipient): sent, then delivered and read, or failed. */
    accepted(phoneNumberId: string, wamid: string, user: { to: string } | { recipient: string }, failure?: LateFailure) {
      const business = options.businessOf(phoneNumberId);
      if (!business || closed) return;
      const step = options.stepMs ?? 50;
      const post = (status: PostedStatus["status"], errors?: SampleError[]) => {
        const payload = outboundStatus(business, {
          wamid,
          ...("to" in user ? { user: user.to } : { userId: user.recipient }),
          at: Math.floor(Date.now() / 1000),
          status,
          ...(errors ? { errors } : {}),
        });
        const p = sendDelivery({ url: options.url, secret: options.appSecret }, payload).then((result) => onPosted({ wamid, status, result }));
        posting.add(p);
        void p.finally(() => posting.delete(p));
      };
      const later = (ms: number, fn: () => void) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          fn();
        }, ms);
        timers.add(timer);
      };
      if (failure) {
        later(step, () => post("sent"));
        later(step + (failure.afterMs ?? step), () => post("failed", [lateError(failure.code)]));
        return;
      }
      STEPS.forEach((status, i) => later((i + 1) * step, () => post(status)));
    },
    async close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      await Promise.allSettled([...posting]);
    },
  };
}
