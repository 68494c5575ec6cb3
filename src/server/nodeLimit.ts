import {
  OperationTypeNode,
  getOperationAST,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLField,
  type GraphQLSchema,
  type GraphQLType,
  type SelectionSetNode,
} from "graphql";
import { createGraphQLError, type Plugin } from "graphql-yoga";

/** What a connection without `first`/`last` returns (@pothos/plugin-relay's default page). */
export const DEFAULT_PAGE_SIZE = 20;

export interface NodeLimits {
  /** Largest `first`/`last` on any connection. */
  maxPageSize: number;
  /** Largest number of nodes an operation may ask for (see docs/graphql-limits.md). */
  maxNodes: number;
}

export const QUERY_TOO_LARGE = "QUERY_TOO_LARGE";

/**
 * The most nodes an operation can return, counted as GitHub's GraphQL API does: every connection
 * (a field taking `first` or `last`) contributes its page size multiplied by the page sizes of the
 * connections it is nested in; the contributions are summed. Fields that are not connections do
 * not multiply. Throws a QUERY_TOO_LARGE GraphQLError for a page size over the limit.
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
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

  const pageSize = (field: FieldNode): number | null => {
    let size: number | null = null;
    for (const arg of field.arguments ?? []) {
      if (arg.name.value !== "first" && arg.name.value !== "last") continue;
      const node = arg.value;
      const value = node.kind === Kind.INT ? Number(node.value) : node.kind === Kind.VARIABLE ? variables?.[node.name.value] : null;
      if (typeof value !== "number") continue;
      if (value > maxPageSize) {
        throw createGraphQLError(
          `${field.name.value}(${arg.name.value}: ${value}) asks for more than ${maxPageSize} nodes per page; page through it with after/before`,
          {
            nodes: [arg],
            extensions: { code: QUERY_TOO_LARGE, field: field.name.value, pageSize: value, maxPageSize },
          },
        );
      }
      size = Math.max(size ?? 0, value);
    }
    return size;
  };

  const compositeType = (name: string) => schema.getType(name) ?? undefined;

  // `seen` guards against fragment cycles (validation rejects them, but this may run on any document).
  const walk = (selectionSet: SelectionSetNode, type: GraphQLType | undefined, multiplier: number, seen: Set<string>): number => {
    let nodes = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const def = fieldsOf(type)?.[selection.name.value];
        if (!def) continue; // __typename, introspection, or a field validation rejects anyway
        const isConnection = def.args.some((a) => a.name === "first" || a.name === "last");
        const size = isConnection ? (pageSize(selection) ?? DEFAULT_PAGE_SIZE) : 1;
        if (isConnection) nodes += multiplier * size;
        if (selection.selectionSet) nodes += walk(selection.selectionSet, namedType(def.type), multiplier * size, seen);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? compositeType(selection.typeCondition.name.value) : type;
        nodes += walk(selection.selectionSet, on, multiplier, seen);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) continue;
        nodes += walk(fragment.selectionSet, compositeType(fragment.typeCondition.name.value), multiplier, new Set([...seen, fragment.name.value]));
      }
    }
    return nodes;
  };

  const root =
    operation.operation === OperationTypeNode.QUERY
      ? schema.getQueryType()
      : operation.operation === OperationTypeNode.MUTATION
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  return walk(operation.selectionSet, root ?? undefined, 1, new Set());
}

// Duck-typed instead of graphql's isObjectType & co.: the schema is built by Pothos through
// graphql's CommonJS entry and this file loads the ES one, and their instanceof checks refuse
// each other's types ("Cannot use GraphQLObjectType from another module or realm").
function fieldsOf(type: GraphQLType | undefined): Record<string, GraphQLField<unknown, unknown>> | undefined {
  return type && "getFields" in type && !("getTypes" in type) && !("parseValue" in type)
    ? (type.getFields() as Record<string, GraphQLField<unknown, unknown>>)
    : undefined;
}

function namedType(type: GraphQLType): GraphQLType {
  let t = type;
  while ("ofType" in t) t = t.ofType;
  return t;
}

function isQueryTooLarge(error: unknown): error is GraphQLError {
  return typeof error === "object" && error !== null && "extensions" in error && (error as GraphQLError).extensions?.code === QUERY_TOO_LARGE;
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
    return createGraphQLError(`this operation can return up to ${nodes} nodes, over the limit of ${limits.maxNodes}; ask for smaller pages`, {
      extensions: { code: QUERY_TOO_LARGE, nodes, maxNodes: limits.maxNodes },
    });
  } catch (error) {
    if (isQueryTooLarge(error)) return error;
    throw error;
  }
}

/**
 * Checks every operation before it runs, over HTTP and graphql-ws alike. It runs at execution,
 * not validation, because the page sizes are often variables, known only then (coerced, defaults applied).
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
