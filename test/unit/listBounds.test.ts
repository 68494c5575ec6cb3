import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Kind, parse, parseType, type OperationDefinitionNode, type TypeNode } from "graphql";
import { schema } from "../../src/schema/index.ts";
import { getVariableValues } from "graphql/execution/values.js";
import { countNodes, declaredBound, unboundedListFields } from "../../src/server/nodeLimit.ts";

const MAX_PAGE_SIZE = 100;
const MAX_NODES = 500_000;

describe("list bounds (src/schema/listBounds.ts)", () => {
  it("every list field of the schema declares how many items it can return", () => {
    expect(unboundedListFields(schema)).toEqual([]);
  });

  const cappedFields = Object.values(schema.getTypeMap())
    .filter((type) => "getFields" in type && !type.name.startsWith("__"))
    .flatMap((type) => Object.values((type as { getFields(): Record<string, any> }).getFields()).map((f) => ({ name: `${type.name}.${f.name}`, f })))
    .flatMap(({ name, f }) => {
      const bound = declaredBound(f);
      return bound && "max" in bound ? [{ name, max: bound.max, description: String(f.description ?? "") }] : [];
    });

  it("every capped list field states its cap in its description", () => {
    expect(cappedFields.filter((f) => !f.description.includes(`At most ${f.max}`)).map((f) => f.name)).toEqual([]);
  });

  it("docs/graphql-limits.md lists every capped field with its cap", () => {
    const documented = readFileSync("docs/graphql-limits.md", "utf8")
      .split("\n")
      .filter((line) => line.startsWith("| `"))
      .flatMap((line) => {
        const [fields = "", cap = ""] = line.split("|").slice(1);
        return [...fields.matchAll(/`(\w+\.\w+)`/g)].map((m) => [m[1], Number(cap.trim())] as const);
      });
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(cappedFields.map((f) => [f.name, f.max])));
  });
});

// Worst case of each operation the console and the examples ship: every Int variable (a page
// size) at the largest page, every list variable as long as GRAPHQL_MAX_REPLAY_IDS allows; an
// input object with its required fields, an enum at its first value unless named here.
const ENUM_VALUES: Record<string, string> = { ConnectionState: "CONNECTED", DeliveryStatus: "FAILED" };
// By shape, not graphql's isXType: the schema's types come from graphql's CommonJS build, this file's imports from its ESM one.
const namedValue = (name: string): unknown => {
  const type = schema.getType(name);
  if (type && "getValues" in type) return ENUM_VALUES[name] ?? type.getValues()[0]!.value;
  if (type && "getFields" in type) {
    const required = Object.values(type.getFields()).filter((f) => String(f.type).endsWith("!"));
    return Object.fromEntries(required.map((f) => [f.name, valueFor(parseType(String(f.type)))]));
  }
  return { Int: MAX_PAGE_SIZE, Float: 1, Boolean: true }[name] ?? "x";
};
const valueFor = (type: TypeNode): unknown => {
  if (type.kind === Kind.NON_NULL_TYPE) return valueFor(type.type);
  if (type.kind === Kind.LIST_TYPE) return Array.from({ length: 100 }, () => valueFor(type.type));
  return namedValue(type.name.value);
};
const shipped = ["console/src/graphql", "examples"].flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".graphql"))
    .flatMap((f) => {
      const document = parse(readFileSync(`${dir}/${f}`, "utf8"));
      return document.definitions
        .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
        .map((op) => {
          const variables = Object.fromEntries((op.variableDefinitions ?? []).map((v) => [v.variable.name.value, valueFor(v.type)]));
          return [`${dir}/${f} ${op.name?.value}`, document, op, variables] as const;
        });
    }),
);

describe("the operations the console and the examples ship", () => {
  it.each(shipped)("%s fits GRAPHQL_MAX_NODES at its largest page sizes", (_name, document, operation, variables) => {
    // Variables execution would refuse count nothing: these must be ones it takes.
    expect(getVariableValues(schema, operation.variableDefinitions ?? [], variables).errors).toBeUndefined();
    expect(countNodes(schema, document, operation.name?.value, variables, MAX_PAGE_SIZE)).toBeLessThanOrEqual(MAX_NODES);
  });
});
