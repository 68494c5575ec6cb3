import SchemaBuilder from "@pothos/core";
import PrismaPlugin from "@pothos/plugin-prisma";
import RelayPlugin from "@pothos/plugin-relay";
import { DateTimeResolver, JSONResolver } from "graphql-scalars";
import type PrismaTypes from "../storage/generated/pothos-prisma-types.ts";
import { getDatamodel } from "../storage/generated/pothos-prisma-types.ts";
import type { Db, Storage } from "../storage/db.ts";
import type { HubPubSub } from "../pubsub.ts";
import type { Principal } from "../tokens/principal.ts";

export interface Context {
  /** The storage handle's Prisma client (`storage.prisma`), which the Prisma plugin and most fields use. */
  db: Db;
  /** The storage handle: what depends on the database (write transactions, provider-specific ordering). */
  storage: Storage;
  pubsub: HubPubSub;
  /** Configured bounds the resolvers enforce themselves (the per-operation ones are graphql-armor's). */
  limits: { searchMaxLength: number; maxReplayIds: number };
  /** Who asked: every field that can reach a WABA's data filters by it (see scope.ts). */
  principal: Principal;
}

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
  prisma: {
    // One client per running app (tests run several apps in one process), so it comes from the context.
    client: (ctx) => ctx.db,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
  },
  relay: {
    clientMutationId: "omit",
    cursorType: "String",
  },
});

builder.addScalarType("DateTime", DateTimeResolver);
builder.addScalarType("JSON", JSONResolver);
builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
