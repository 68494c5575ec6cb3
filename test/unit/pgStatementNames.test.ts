import { describe, expect, it } from "vitest";
import { PgStatementNames } from "../../src/storage/pgStatementNames.ts";

describe("PgStatementNames", () => {
  it("numbers the placeholders and gives one text one name, the same each time", () => {
    const names = new PgStatementNames();
    const first = names.of(`SELECT 1 FROM "T" WHERE "a" = ? AND "b" = ?`);
    expect(first.text).toBe(`SELECT 1 FROM "T" WHERE "a" = $1 AND "b" = $2`);
    expect(first.name).toBeDefined();
    expect(names.of(`SELECT 1 FROM "T" WHERE "a" = ? AND "b" = ?`)).toEqual(first);
  });

  it("never gives two texts the same name", () => {
    const names = new PgStatementNames();
    const given = ["SELECT ?", "SELECT ?, ?", "SELECT ?, ?, ?"].map((t) => names.of(t).name);
    expect(new Set(given).size).toBe(3);
  });

  it("leaves a statement with more parameters than the bound unnamed", () => {
    const names = new PgStatementNames(10, 2);
    expect(names.of("SELECT ?, ?, ?")).toEqual({ text: "SELECT $1, $2, $3" });
    expect(names.of("SELECT ?, ?").name).toBeDefined();
  });

  it("names at most maxNames texts; the rest run unnamed", () => {
    const names = new PgStatementNames(2);
    expect(names.of("SELECT 1").name).toBeDefined();
    expect(names.of("SELECT 2").name).toBeDefined();
    expect(names.of("SELECT 3")).toEqual({ text: "SELECT 3" });
    expect(names.of("SELECT 1").name).toBeDefined();
  });
});
