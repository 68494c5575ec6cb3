import { numberCanSend } from "../domain/connectionState.ts";
import { digits } from "../domain/phoneNumbers.ts";
import type { Context } from "./context.ts";
import { wabaCanSendNow } from "./waba.ts";

/** The digits a number's account events and disconnections name it by (its display number). */
const digitsOf = (n: { displayPhoneNumber: string | null }) => (n.displayPhoneNumber ? digits(n.displayPhoneNumber) : "");

/** `PhoneNumber.canSend`: its WABA's rule (true for a WABA without account events) and no open disconnection of the number. */
export async function phoneNumberCanSend(n: { wabaId: string; displayPhoneNumber: string | null }, ctx: Context): Promise<boolean> {
  const number = digitsOf(n);
  const [waba, open] = await Promise.all([
    ctx.db.waba.findUnique({ where: { wabaId: n.wabaId }, select: { connectionState: true, banState: true, restrictions: true } }),
    number ? ctx.db.disconnection.count({ where: { wabaId: n.wabaId, phoneNumber: number, resolvedAt: null } }) : 0,
  ]);
  return numberCanSend(waba ? wabaCanSendNow(waba) : true, open);
}

/** `PhoneNumber.disconnections`: those that named the number, newest first, the newest `take`. */
export async function phoneNumberDisconnections(
  n: { wabaId: string; displayPhoneNumber: string | null },
  args: { openOnly: boolean },
  ctx: Context,
  take: number,
) {
  const number = digitsOf(n);
  if (!number) return [];
  return ctx.db.disconnection.findMany({
    where: { wabaId: n.wabaId, phoneNumber: number, ...(args.openOnly ? { resolvedAt: null } : {}) },
    orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
    take,
  });
}
