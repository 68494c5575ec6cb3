import type { z } from "zod";
import { Prisma } from "./generated/prisma/client.ts";

/**
 * A stored value this version cannot read: a string column outside the union it is written from,
 * or a JSON column that does not match its record. Thrown, never papered over: a GraphQL field
 * answers it as a masked error (logged with the column's name), an ingest step fails its delivery
 * (kept for replay) instead of writing over what it could not read. Every shape an earlier
 * version wrote is part of the record (an optional key, say), so only damage reaches this.
 */
export class StoredValueError extends Error {
  constructor(column: string, detail: string) {
    super(`stored ${column} ${detail}`);
    this.name = "StoredValueError";
  }
}

/** How one column is written and read back. `read` throws StoredValueError on what it cannot read. */
export interface Column<Value, Stored, Written = Stored> {
  readonly name: string;
  read(stored: Stored): Value;
  write(value: Value): Written;
}

/** What Prisma takes for a JSON column: a JSON value, or SQL NULL. */
export type JsonWrite = Prisma.InputJsonValue | typeof Prisma.DbNull;

/** A string column holding one of `values` (a status, a state, a kind). */
export function enumColumn<T extends string>(name: string, values: readonly T[]): Column<T, string> {
  return {
    name,
    read(stored) {
      const known = values.find((v) => v === stored);
      if (known === undefined) throw new StoredValueError(name, `"${stored}" is not one of ${values.join(", ")}`);
      return known;
    },
    write: (value) => value,
  };
}

/** The same column where null means "none yet". */
export function nullableEnumColumn<T extends string>(name: string, values: readonly T[]): Column<T | null, string | null> {
  const column = enumColumn(name, values);
  return { name, read: (stored) => (stored === null ? null : column.read(stored)), write: (value) => value };
}

/** A JSON column (NOT NULL) read back through the zod record its type is inferred from. */
export function jsonColumn<S extends z.ZodType>(name: string, record: S): Column<z.infer<S>, unknown, Prisma.InputJsonValue> {
  return { name, read: (stored) => parse(name, record, stored), write: (value) => toJson(value) };
}

/**
 * A nullable JSON column: SQL NULL reads as `empty` (a row written before the column had a value)
 * and a null value is written as SQL NULL.
 */
export function nullableJsonColumn<S extends z.ZodType>(name: string, record: S, empty: z.infer<S>): Column<z.infer<S>, unknown, JsonWrite> {
  return {
    name,
    read: (stored) => (stored === null || stored === undefined ? empty : parse(name, record, stored)),
    write: (value) => (value === null ? Prisma.DbNull : toJson(value)),
  };
}

function parse<S extends z.ZodType>(name: string, record: S, stored: unknown): z.infer<S> {
  const result = record.safeParse(stored);
  if (!result.success) throw new StoredValueError(name, `does not match its record: ${result.error.issues[0]?.message ?? "invalid"}`);
  return result.data;
}

/**
 * The one place a record's value is handed to Prisma as JSON. Records are JSON by construction
 * (strings, numbers, booleans, null, arrays, objects; a Date, which Prisma writes as its ISO
 * string, only where the record reads an ISO string back into a Date).
 */
function toJson(value: unknown): Prisma.InputJsonValue {
  return value as Prisma.InputJsonValue;
}
