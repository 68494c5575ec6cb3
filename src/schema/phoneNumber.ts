import { isProvisionalPhoneNumberId } from "../domain/phoneNumbers.ts";
import { builder } from "./builder.ts";
import { DisconnectionRef } from "./disconnection.ts";
import { phoneNumberCanSend, phoneNumberDisconnections } from "../resolvers/phoneNumber.ts";
import { LIST_CAPS, capped } from "./listBounds.ts";
import { HistorySyncRef } from "./historySync.ts";

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
    historySync: t.variant(HistorySyncRef, {
      description: "The number's contact and history syncs and their deadline; NOT_STARTED until Meta's first history webhook.",
    }),
    canSend: t.boolean({
      description:
        "Whether the Cloud API may send business-initiated messages from this number now: its WABA's `canSend` " +
        "(true for a WABA without account events) and no open disconnection of this number (a PARTNER_REMOVED, " +
        "ACCOUNT_OFFBOARDED, ... that named it).",
      select: { wabaId: true, displayPhoneNumber: true },
      resolve: (n, _args, ctx) => phoneNumberCanSend(n, ctx),
    }),
    disconnections: t.field({
      type: [DisconnectionRef],
      ...capped(
        LIST_CAPS.disconnections,
        "Disconnections that named this number (per-number; the WABA's own are on `Waba.disconnections`), newest first; the newest kept.",
      ),
      args: { openOnly: t.arg.boolean({ defaultValue: false, required: true }) },
      select: { wabaId: true, displayPhoneNumber: true },
      resolve: (n, args, ctx) => phoneNumberDisconnections(n, args, ctx, LIST_CAPS.disconnections),
    }),
  }),
});
