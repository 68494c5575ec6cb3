import type PrismaTypes from "../storage/generated/pothos-prisma-types.ts";

/** What the Prisma plugin hands a root field: the client's selection, as Prisma's include/select. */
export type Selection<M extends keyof PrismaTypes> = { include?: PrismaTypes[M]["Include"]; select?: PrismaTypes[M]["Select"] };

/** What it hands a connection field: the selection and the page (cursor, take, skip). */
export type Page<M extends keyof PrismaTypes> = {
  include?: PrismaTypes[M]["Include"];
  cursor?: PrismaTypes[M]["WhereUnique"];
  take: number;
  skip: number;
};
