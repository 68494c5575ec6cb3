import { hubError } from "../errors.ts";
import { lookupKey } from "../domain/identityKey.ts";
import { digits } from "../domain/phoneNumbers.ts";
import { escapeLike } from "../storage/like.ts";
import type { Context } from "./context.ts";
import { phoneNumberScope } from "./scope.ts";
import type { Page, Selection } from "./selection.ts";

/** Threads whose number or contact name contains the text, taken literally (see escapeLike). */
function searchFilter(search: string, maxLength: number) {
  if (search.length > maxLength) {
    throw hubError("BAD_USER_INPUT", `search must be at most ${maxLength} characters; got ${search.length}`);
  }
  const text = escapeLike(search);
  const numberDigits = digits(search);
  return {
    OR: [
      { contact: { waId: { contains: numberDigits ? numberDigits : text } } },
      { contact: { userId: { contains: text } } },
      { contact: { username: { contains: text } } },
      { contact: { fullName: { contains: text } } },
      { contact: { profileName: { contains: text } } },
    ],
  };
}

/** `threads`: most recent activity first, threads without messages last. */
export function threads(query: Page<"Thread">, args: { wabaId?: string | null; phoneNumberId?: string | null; search?: string | null }, ctx: Context) {
  return ctx.db.thread.findMany({
    ...query,
    where: {
      AND: [phoneNumberScope(ctx.principal)],
      ...(args.phoneNumberId ? { phoneNumberId: args.phoneNumberId } : {}),
      ...(args.wabaId ? { phoneNumber: { wabaId: args.wabaId } } : {}),
      ...(args.search ? searchFilter(args.search, ctx.limits.searchMaxLength) : {}),
    },
    // The storage handle says how its database puts NULLs last (SQLite: a plain DESC, which keeps the
    // (lastMessageAt, id) index usable; PostgreSQL sorts NULL first unless told).
    orderBy: [{ lastMessageAt: ctx.storage.descNullsLast }, { id: "desc" }],
  });
}

/** `thread(id)`. */
export function thread(query: Selection<"Thread">, args: { id: string | number }, ctx: Context) {
  return ctx.db.thread.findFirst({ ...query, where: { AND: [{ id: String(args.id) }, phoneNumberScope(ctx.principal)] } });
}

/** `threadByParticipants`: by the user's phone number or BSUID, current or earlier. */
export async function threadByParticipants(
  query: Selection<"Thread">,
  args: { phoneNumberId: string; waId?: string | null; userId?: string | null },
  ctx: Context,
) {
  const identity = lookupKey(args);
  if (identity === null) return null;
  return ctx.db.thread.findFirst({
    ...query,
    where: {
      AND: [
        { phoneNumberId: args.phoneNumberId, contact: { identities: { some: { phoneNumberId: args.phoneNumberId, identity } } } },
        phoneNumberScope(ctx.principal),
      ],
    },
  });
}

/** `contacts(phoneNumberId)`. */
export function contacts(query: Page<"Contact">, args: { phoneNumberId?: string | null }, ctx: Context) {
  return ctx.db.contact.findMany({
    ...query,
    where: { AND: [args.phoneNumberId ? { phoneNumberId: args.phoneNumberId } : {}, phoneNumberScope(ctx.principal)] },
    orderBy: [{ waId: "asc" }, { id: "asc" }],
  });
}
