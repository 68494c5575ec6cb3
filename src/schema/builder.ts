import SchemaBuilder from "@pothos/core";
import PrismaPlugin from "@pothos/plugin-prisma";
import RelayPlugin from "@pothos/plugin-relay";
import { DateTimeResolver, JSONResolver } from "graphql-scalars";
import type PrismaTypes from "../storage/generated/pothos-prisma-types.ts";
import { getDatamodel } from "../storage/generated/pothos-prisma-types.ts";
import type { Db } from "../storage/db.ts";
import type { HubPubSub } from "../pubsub.ts";
import type { Principal } from "../tokens/principal.ts";

export interface Context {
  db: Db;
  pubsub: HubPubSub;
  /** Per-argument limits from the configuration (the same for every caller). */
  limits: { searchMaxLength: number };
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
builder.subscriptionType({});
