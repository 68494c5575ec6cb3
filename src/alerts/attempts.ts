import type { Db } from "../storage/client.ts";
import { alertAttemptStateColumn, alertTriesColumn } from "../storage/columns.ts";
import type { AlertAttemptState, AlertTry } from "../domain/alertRetry.ts";

/** An attempt as `hub alerts attempts` shows it. */
export interface AttemptSummary {
  id: string;
  eventId: string;
  eventType: string;
  eventKey: string;
  target: string;
  state: AlertAttemptState;
  tries: number;
  last: AlertTry | null;
  nextAttemptAt: Date;
  replayOf: string | null;
  createdAt: Date;
}

/** Newest first; `target` by id or name. */
export async function listAttempts(db: Db, options: { target?: string | undefined; failedOnly: boolean; limit: number }): Promise<AttemptSummary[]> {
  const rows = await db.alertAttempt.findMany({
    where: {
      ...(options.target ? { target: { OR: [{ id: options.target }, { name: options.target }] } } : {}),
      ...(options.failedOnly ? { state: alertAttemptStateColumn.write("FAILED") } : {}),
    },
    include: { event: { select: { type: true, key: true } }, target: { select: { name: true } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: options.limit,
  });
  return rows.map((r) => {
    const tries = alertTriesColumn.read(r.tries);
    return {
      id: r.id,
      eventId: r.eventId,
      eventType: r.event.type,
      eventKey: r.event.key,
      target: r.target.name,
      state: alertAttemptStateColumn.read(r.state),
      tries: tries.length,
      last: tries.at(-1) ?? null,
      nextAttemptAt: r.nextAttemptAt,
      replayOf: r.replayOf,
      createdAt: r.createdAt,
    };
  });
}
