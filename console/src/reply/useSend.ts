import { useCallback, useRef, useState } from "react";
import { useMutation } from "urql";
import { SendReplyDocument, type InboxMessageFragment, type SendMessageInput } from "../generated/graphql.ts";
import { newIdempotencyKey } from "./idempotencyKey.ts";
import { sendErrorWords } from "./sendErrorWords.ts";

/** What one action sends: its content (text, template or reaction) and the message it answers. */
export type SendContent = Omit<SendMessageInput, "phoneNumberId" | "threadId" | "to" | "userId" | "idempotencyKey">;

export type SendOutcome = { kind: "sent"; message: InboxMessageFragment } | { kind: "refused"; words: string } | { kind: "busy" };

/**
 * Sends from one thread. Each user action gets its own idempotency key, made once: a second click
 * while the first is on its way does nothing, and trying the same content again after an answer
 * was lost (a dropped connection) reuses the key, so the hub returns the message it already stored
 * instead of sending it twice. A new content, or anything after a success, gets a new key.
 */
export function useSend(phoneNumberId: string, threadId: string, onSent: (message: InboxMessageFragment) => void) {
  const [, mutate] = useMutation(SendReplyDocument);
  const action = useRef<{ content: string; key: string } | null>(null);
  const inFlight = useRef(false);
  const [busy, setBusy] = useState(false);

  const send = useCallback(
    async (content: SendContent): Promise<SendOutcome> => {
      // A ref, not the state: a double-click's second click comes before React re-renders.
      if (inFlight.current) return { kind: "busy" };
      const signature = JSON.stringify(content);
      if (action.current?.content !== signature) action.current = { content: signature, key: newIdempotencyKey() };
      const idempotencyKey = action.current.key;
      inFlight.current = true;
      setBusy(true);
      try {
        const res = await mutate({ input: { ...content, phoneNumberId, threadId, idempotencyKey } });
        const message = res.data?.sendMessage;
        if (!message) return { kind: "refused", words: sendErrorWords(res.error) };
        action.current = null;
        onSent(message);
        return { kind: "sent", message };
      } finally {
        inFlight.current = false;
        setBusy(false);
      }
    },
    [mutate, onSent, phoneNumberId, threadId],
  );
  return { send, busy };
}
