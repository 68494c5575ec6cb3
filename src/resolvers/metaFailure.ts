import type { GraphAnswer } from "../outbound/graphClient.ts";
import { hubError } from "../errors.ts";

/**
 * A direct call's failure as its GraphQL error (markRead, refreshTemplates): Meta's refusal is
 * META_ERROR with Meta's code and error, no answer is META_UNREACHABLE (safe to call again).
 */
export function metaFailure(answer: Exclude<GraphAnswer, { kind: "OK" }>, what: string): never {
  switch (answer.kind) {
    case "META_ERROR": {
      const { meta: _raw, ...metaError } = answer.error;
      throw hubError("META_ERROR", `Meta refused ${what}: ${answer.error.message ?? `HTTP ${answer.status}`}`, {
        extensions: { metaCode: answer.error.code, metaError },
      });
    }
    case "NOT_SENT":
    case "NO_ANSWER":
      throw hubError("META_UNREACHABLE", `the Cloud API did not answer ${what} (${answer.detail})`, { extensions: { detail: answer.detail } });
  }
}
