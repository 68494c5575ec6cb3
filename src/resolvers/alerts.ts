import { AlertNotFound } from "../alerts/replay.ts";
import { hubError } from "../errors.ts";
import type { Context } from "./context.ts";
import { requireEveryWaba } from "./scope.ts";
import type { Page, Selection } from "./selection.ts";

/**
 * Alert targets and attempts are the hub's own records, across WABAs (a target gets every WABA's
 * events): for an admin token over all WABAs only.
 */
export function alertTargets(query: Selection<"AlertTarget">, ctx: Context, max: number) {
  requireEveryWaba(ctx.principal, "admin");
  return ctx.db.alertTarget.findMany({ ...query, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: max });
}

type AttemptArgs = { targetId?: string | number | null; failedOnly?: boolean | null };

const attemptsWhere = (args: AttemptArgs) => ({
  ...(args.targetId != null ? { targetId: String(args.targetId) } : {}),
  ...(args.failedOnly ? { state: "FAILED" } : {}),
});

/** `alertAttempts(targetId, failedOnly)`: newest first. */
export function alertAttempts(query: Page<"AlertAttempt">, args: AttemptArgs, ctx: Context) {
  requireEveryWaba(ctx.principal, "admin");
  return ctx.db.alertAttempt.findMany({ ...query, where: attemptsWhere(args), orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
}

export function alertAttemptCount(args: AttemptArgs, ctx: Context) {
  requireEveryWaba(ctx.principal, "admin");
  return ctx.db.alertAttempt.count({ where: attemptsWhere(args) });
}

/** `replayAlert(attemptId)`: the new attempt (the old one is kept as it ended). */
export async function replayAlert(query: Selection<"AlertAttempt">, attemptId: string, ctx: Context) {
  requireEveryWaba(ctx.principal, "admin");
  const exists = await ctx.db.alertAttempt.findUnique({ where: { id: attemptId }, select: { id: true } });
  if (!exists) throw hubError("UNKNOWN_ALERT_ATTEMPT", `no alert attempt ${attemptId} (see alertAttempts)`);
  try {
    const [id] = await ctx.alerts.replay(attemptId);
    return ctx.db.alertAttempt.findUniqueOrThrow({ ...query, where: { id: id! } });
  } catch (error) {
    // Removed with its target between the check and the replay.
    if (error instanceof AlertNotFound) throw hubError("UNKNOWN_ALERT_ATTEMPT", error.message);
    throw error;
  }
}
