import {
  getNamedType,
  isAbstractType,
  isLeafType,
  isNonNullType,
  isInterfaceType,
  isObjectType,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type GraphQLField,
  type GraphQLInterfaceType,
  type GraphQLObjectType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from "graphql";

/**
 * A selection set asking for every field of `type`, nested objects down to `depth` levels, so a
 * test that runs it reaches every field the schema has (a field added later is selected too).
 * Abstract types get `__typename` and an inline fragment per implementation, the first time on a
 * path (nested again, only the interface's own fields: graphql-js's overlapping-fields check gives up
 * on fragments inside fragments of a dozen types, and the variants are covered once). Lists are paged with
 * `first: <page>`; fields with other required arguments are left out (none exist below the roots).
 */
export function everyField(schema: GraphQLSchema, type: GraphQLNamedType, depth: number, page = 20, inVariant = false): string {
  if (isLeafType(type) || depth < 0) return "";
  if (isAbstractType(type)) {
    if (inVariant && isInterfaceType(type)) return fieldsOf(schema, type, depth, page, true);
    const parts = schema.getPossibleTypes(type).map((t) => {
      const inner = everyField(schema, t, depth, page, true);
      return inner ? `... on ${t.name} ${inner}` : "";
    });
    return `{ __typename ${parts.join(" ")} }`;
  }
  if (!isObjectType(type)) return "";
  return fieldsOf(schema, type, depth, page, inVariant);
}

function fieldsOf(schema: GraphQLSchema, type: GraphQLObjectType | GraphQLInterfaceType, depth: number, page: number, inVariant: boolean): string {
  const fields = Object.values(type.getFields()).flatMap((field) => {
    const args = argumentsFor(field, page);
    if (args === null) return [];
    const fieldType = getNamedType(field.type);
    if (isLeafType(fieldType)) return [`${field.name}${args}`];
    const inner = everyField(schema, fieldType, depth - 1, page, inVariant);
    return inner ? [`${field.name}${args} ${inner}`] : [];
  });
  return `{ __typename ${fields.join(" ")} }`;
}

function argumentsFor(field: GraphQLField<unknown, unknown>, page: number): string | null {
  if (field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) return null;
  return field.args.some((a) => a.name === "first") ? `(first: ${page})` : "";
}

/** An enum value for argumentList (written bare, not as a string). */
export class EnumValue {
  constructor(readonly name: string) {}
}
export type ArgumentValue = string | number | boolean | EnumValue | readonly string[];

/** A GraphQL argument list from plain values: `(a: "x", b: 2, c: ENUM, d: ["y"])`, or "" without any. */
export function argumentList(args: Record<string, ArgumentValue>): string {
  const entries = Object.entries(args);
  const literal = (v: ArgumentValue) => (v instanceof EnumValue ? v.name : JSON.stringify(v));
  return entries.length ? `(${entries.map(([k, v]) => `${k}: ${literal(v)}`).join(", ")})` : "";
}

/** Every `Type.field` of an object or interface type that a client can reach from the schema's roots. */
export function reachableFields(schema: GraphQLSchema): Set<string> {
  const out = new Set<string>();
  const seen = new Set<string>();
  const visit = (type: GraphQLNamedType) => {
    if (seen.has(type.name)) return;
    seen.add(type.name);
    if (isAbstractType(type)) schema.getPossibleTypes(type).forEach(visit);
    if (!isObjectType(type) && !isInterfaceType(type)) return;
    for (const field of Object.values(type.getFields())) {
      out.add(`${type.name}.${field.name}`);
      visit(getNamedType(field.type));
    }
  };
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) if (root) visit(root);
  return out;
}

/** Every `Type.field` an operation selects (the parent type as the schema types it there). */
export function selectedFields(schema: GraphQLSchema, operation: string): Set<string> {
  const out = new Set<string>();
  const info = new TypeInfo(schema);
  visit(
    parse(operation),
    visitWithTypeInfo(info, {
      Field(node) {
        const parent = info.getParentType();
        if (parent && !node.name.value.startsWith("__")) out.add(`${parent.name}.${node.name.value}`);
      },
    }),
  );
  return out;
}
