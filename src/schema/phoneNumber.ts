import { isProvisionalPhoneNumberId, phoneDigits } from "../domain/phoneNumbers.ts";
import { numberCanSend } from "../domain/connectionState.ts";
import { builder } from "./builder.ts";
import { DisconnectionRef } from "./disconnection.ts";
import { wabaCanSendNow } from "./waba.ts";
import { LIST_CAPS, capped } from "./listBounds.ts";

/** The digits a number's account events and disconnections name it by (its display number). */
const digitsOf = (n: { displayPhoneNumber: string | null }) => (n.displayPhoneNumber ? phoneDigits(n.displayPhoneNumber) : "");

export const PhoneNumberRef = builder.prismaObject("PhoneNumber", {
  description:
    "A business phone number of a WABA: named by the thread-mirror webhooks (value.metadata), or only by an " +
    "account_update's `phone_number` (then `phoneNumberId` is null until a mirror webhook names it).",
  fields: (t) => ({
    phoneNumberId: t.string({
      nullable: true,
      description: "Meta's phone_number_id; null while only an account_update has named the number (by its display number).",
      resolve: (n) => (isProvisionalPhoneNumberId(n.phoneNumberId) ? null : n.phoneNumberId),
    }),
    displayPhoneNumber: t.exposeString("displayPhoneNumber", { nullable: true }),
    wabaId: t.exposeString("wabaId"),
    lastActivityAt: t.expose("lastActivityAt", {
      type: "DateTime",
      nullable: true,
      description: "The latest time (Meta's) of a message, status, edit, revoke, history message or account event seen for this number.",
    }),
    historySync: t.relation("historySync", { nullable: true, description: "Null until Meta sent the number's first history webhook." }),
    canSend: t.boolean({
      description:
        "Whether the Cloud API may send business-initiated messages from this number now: its WABA's `canSend` " +
        "(true for a WABA without account events) and no open disconnection of this number (a PARTNER_REMOVED, " +
        "ACCOUNT_OFFBOARDED, ... that named it).",
      select: { wabaId: true, displayPhoneNumber: true },
      resolve: async (n, _args, ctx) => {
        const digits = digitsOf(n);
        const [waba, open] = await Promise.all([
          ctx.db.waba.findUnique({ where: { wabaId: n.wabaId }, select: { connectionState: true, banState: true, restrictions: true } }),
          digits ? ctx.db.disconnection.count({ where: { wabaId: n.wabaId, phoneNumber: digits, resolvedAt: null } }) : 0,
        ]);
        return numberCanSend(waba ? wabaCanSendNow(waba) : true, open);
      },
    }),
    disconnections: t.field({
      type: [DisconnectionRef],
      ...capped(
        LIST_CAPS.disconnections,
        "Disconnections that named this number (per-number; the WABA's own are on `Waba.disconnections`), newest first; the newest kept.",
      ),
      args: { openOnly: t.arg.boolean({ defaultValue: false, required: true }) },
      select: { wabaId: true, displayPhoneNumber: true },
      resolve: (n, args, ctx) => {
        const digits = digitsOf(n);
        if (!digits) return [];
        return ctx.db.disconnection.findMany({
          where: { wabaId: n.wabaId, phoneNumber: digits, ...(args.openOnly ? { resolvedAt: null } : {}) },
          orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
          take: LIST_CAPS.disconnections,
        });
      },
    }),
  }),
});
