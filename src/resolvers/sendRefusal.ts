import { SendRefused, type SendRefusal } from "../domain/sendErrors.ts";
import { hubError } from "../errors.ts";
import type { Context } from "./context.ts";
import { requirePower } from "./scope.ts";

/** A refusal as a GraphQL error; yoga's own constructor, so masking lets the message and code through. */
export function refuse(code: SendRefusal, message: string, details: Record<string, unknown> = {}): never {
  throw hubError(code, message, { extensions: details });
}

/** Runs an outbound operation, answering its SendRefused as the GraphQL error it stands for. */
export async function refusing<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof SendRefused) refuse(error.code, error.message, error.details);
    throw error;
  }
}

/** What every operation that calls Meta (or stands for a call) needs: the send power and a Graph API token. */
export function requireSender(ctx: Context): void {
  requirePower(ctx.principal, "send");
  if (!ctx.outbound.configured) refuse("NOT_CONFIGURED", "the hub has no Graph API token (GRAPH_API_TOKEN): it cannot send");
}
