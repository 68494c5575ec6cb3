import {
  getOperationAST,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLField,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";
// The schema's own copy of graphql, by path: the schema is built by Pothos through graphql's
// CommonJS entry, and where this file gets the ES one (vitest resolves `graphql` by its "module"
// field) their instanceof checks refuse each other's types ("from another module or realm").
// Node resolves these paths to the CommonJS files Pothos loaded, in tests and in production alike.
import { getNamedType, getNullableType, isInterfaceType, isListType, isObjectType } from "graphql/type/definition.js";
import { getArgumentValues, getVariableValues } from "graphql/execution/values.js";
import type { Plugin } from "graphql-yoga";
import { hubError } from "../errors.ts";
import { LIST_BOUND, type ListBound } from "../schema/listBounds.ts";

/** What a connection without `first`/`last` returns (@pothos/plugin-relay's default page). */
export const DEFAULT_PAGE_SIZE = 20;

export interface NodeLimits {
  /** Largest `first`/`last` on any connection. */
  maxPageSize: number;
  /** Largest number of nodes an operation may ask for (see docs/graphql-limits.md). */
  maxNodes: number;
}

/**
 * The most nodes an operation can return, counted as GitHub's GraphQL API does, on the arguments
 * the resolvers will get: variables coerced with their defaults applied, argument defaults too.
 * Every connection (a field taking `first` or `last`) contributes its page size multiplied by the
 * sizes of the lists it is nested in; so does every other list field, by the bound it declares
 * (src/schema/listBounds.ts). The contributions are summed; a list without a bound counts as
 * Infinity. Throws a QUERY_TOO_LARGE GraphQLError for a page size over the limit. Variables or
 * arguments execution would refuse count nothing: nothing of them runs.
 */
export function countNodes(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  maxPageSize: number,
): number {
  const operation = getOperationAST(document, operationName);
  if (!operation) return 0;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: 1 });
  if (!coerced.coerced) return 0;
  const variableValues = coerced.coerced;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

  const pageSize = (field: FieldNode, args: Record<string, unknown>): number => {
    let size: number | null = null;
    for (const name of ["first", "last"] as const) {
      const value = args[name];
      if (typeof value !== "number") continue;
      if (value > maxPageSize) {
        throw hubError(
          "QUERY_TOO_LARGE",
          `${field.name.value}(${name}: ${value}) asks for more than ${maxPageSize} nodes per page; page through it with after/before`,
          {
            nodes: [field.arguments?.find((a) => a.name.value === name) ?? field],
            extensions: { field: field.name.value, pageSize: value, maxPageSize },
          },
        );
      }
      size = Math.max(size ?? 0, value);
    }
    return size ?? DEFAULT_PAGE_SIZE;
  };

  // How many items the field can return (null: one value, not a list), and so how many times its selection runs.
  const itemsOf = (def: GraphQLField<unknown, unknown>, node: FieldNode, args: Record<string, unknown>): { nodes: number; times: number } => {
    if (def.args.some((a) => a.name === "first" || a.name === "last")) {
      const size = pageSize(node, args);
      return { nodes: size, times: size };
    }
    if (!isListType(getNullableType(def.type))) return { nodes: 0, times: 1 };
    const bound = declaredBound(def);
    if (!bound) return { nodes: Infinity, times: 1 }; // the sum is Infinity already (and Infinity × 0 would be NaN)
    if ("perPage" in bound) return { nodes: 0, times: 1 };
    const max = "max" in bound ? bound.max : lengthOf(args[bound.lengthOf]);
    return { nodes: max, times: max };
  };

  // `seen` guards against fragment cycles (validation rejects them, but this may run on any document).
  const walk = (selectionSet: SelectionSetNode, type: GraphQLNamedType | undefined, multiplier: number, seen: Set<string>): number => {
    let nodes = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const def = type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[selection.name.value] : undefined;
        if (!def) continue; // __typename, introspection, or a field validation rejects anyway
        const args = argumentsOf(def, selection, variableValues);
        if (!args) continue; // execution refuses the field's arguments: it does not run
        const items = itemsOf(def, selection, args);
        nodes += multiplier * items.nodes;
        if (selection.selectionSet) nodes += walk(selection.selectionSet, getNamedType(def.type), multiplier * items.times, seen);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        nodes += walk(selection.selectionSet, on ?? undefined, multiplier, seen);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) continue;
        const on = schema.getType(fragment.typeCondition.name.value) ?? undefined;
        nodes += walk(fragment.selectionSet, on, multiplier, new Set([...seen, fragment.name.value]));
      }
    }
    return nodes;
  };

  return walk(operation.selectionSet, schema.getRootType(operation.operation) ?? undefined, 1, new Set());
}

/** The arguments the resolver would get, or null when execution refuses them. */
function argumentsOf(def: GraphQLField<unknown, unknown>, node: FieldNode, variableValues: Record<string, unknown>): Record<string, unknown> | null {
  try {
    return getArgumentValues(def, node, variableValues);
  } catch {
    return null;
  }
}

const lengthOf = (value: unknown): number => (Array.isArray(value) ? value.length : value === null || value === undefined ? 0 : 1);

/** The bound a list field declares in its extensions (see src/schema/listBounds.ts), or null. */
export function declaredBound(def: GraphQLField<unknown, unknown>): ListBound | null {
  const bound: unknown = def.extensions?.[LIST_BOUND];
  if (typeof bound !== "object" || bound === null) return null;
  if ("max" in bound && typeof bound.max === "number") return { max: bound.max };
  if ("perPage" in bound && bound.perPage === true) return { perPage: true };
  if ("lengthOf" in bound && typeof bound.lengthOf === "string") return { lengthOf: bound.lengthOf };
  return null;
}

/** Every list field of the schema that declares no bound, as `Type.field`: the node limit would count it as Infinity. */
export function unboundedListFields(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter((type) => !type.name.startsWith("__") && (isObjectType(type) || isInterfaceType(type)))
    .flatMap((type) =>
      Object.values((type as GraphQLObjectType | GraphQLInterfaceType).getFields())
        .filter((f) => isListType(getNullableType(f.type)) && !f.args.some((a) => a.name === "first" || a.name === "last") && !declaredBound(f))
        .map((f) => `${type.name}.${f.name}`),
    );
}

function isQueryTooLarge(error: unknown): error is GraphQLError {
  return typeof error === "object" && error !== null && "extensions" in error && (error as GraphQLError).extensions?.code === "QUERY_TOO_LARGE";
}

/** The check itself: null when the operation fits, else the error to answer with. */
export function nodeLimitError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  limits: NodeLimits,
): GraphQLError | null {
  try {
    const nodes = countNodes(schema, document, operationName, variables, limits.maxPageSize);
    if (nodes <= limits.maxNodes) return null;
    return hubError(
      "QUERY_TOO_LARGE",
      `this operation can return up to ${nodes} nodes, over the limit of ${limits.maxNodes}; ask for smaller pages or fewer nested lists`,
      {
        extensions: { nodes, maxNodes: limits.maxNodes },
      },
    );
  } catch (error) {
    if (isQueryTooLarge(error)) return error;
    throw error;
  }
}

/**
 * Checks every operation before it runs, over HTTP (POST, GET, SSE) and graphql-ws alike (its
 * operations go through Yoga's envelope, src/server/graphqlWs.ts). It runs at execution, not
 * validation, because the page sizes are often variables, known only then; envelop hands over the
 * variables as sent, so countNodes coerces them and applies their defaults as execution will.
 */
export function useNodeLimit(limits: NodeLimits): Plugin {
  const check = ({
    args,
    setResultAndStopExecution,
  }: {
    args: { schema: GraphQLSchema; document: DocumentNode; operationName?: string | null; variableValues?: Record<string, unknown> | null };
    setResultAndStopExecution: (result: { errors: GraphQLError[] }) => void;
  }) => {
    const error = nodeLimitError(args.schema, args.document, args.operationName, args.variableValues, limits);
    if (error) setResultAndStopExecution({ errors: [error] });
  };
  return { onExecute: check, onSubscribe: check };
}
