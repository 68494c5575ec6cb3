import { useCallback, useRef } from "react";
import { useMutation } from "urql";
import { RetryReplyDocument, type InboxMessageFragment } from "../generated/graphql.ts";
import { sendErrorWords } from "./sendErrorWords.ts";

/**
 * "Send again" (retrySend) for a FAILED or UNKNOWN send: the same message queued again. One
 * request per message at a time: a double-click asks once (the hub would refuse the second).
 */
export function useSendAgain(onAnswer: (message: InboxMessageFragment) => void, onRefused: (words: string | null) => void) {
  const [, mutate] = useMutation(RetryReplyDocument);
  const inFlight = useRef(new Set<string>());
  return useCallback(
    async (messageId: string) => {
      if (inFlight.current.has(messageId)) return;
      inFlight.current.add(messageId);
      try {
        const res = await mutate({ messageId });
        const message = res.data?.retrySend;
        if (message) onAnswer(message);
        onRefused(message ? null : sendErrorWords(res.error));
      } finally {
        inFlight.current.delete(messageId);
      }
    },
    [mutate, onAnswer, onRefused],
  );
}
