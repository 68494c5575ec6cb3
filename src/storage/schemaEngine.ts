import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { pgAdapter } from "./pgAdapter.ts";
import { afterConnect, instantiateSchemaEngine } from "./prismaInternals.ts";
import type { SchemaEngine } from "@prisma/schema-engine-wasm/schema_engine_bg";
import { schemaFor, type DatabaseTarget } from "./provider.ts";

export interface OpenEngine {
  engine: SchemaEngine;
  /** Frees the engine and closes the connections it opened (engine.free() alone leaves them open). */
  close: () => Promise<void>;
}

export async function openSchemaEngine(target: DatabaseTarget): Promise<OpenEngine> {
  const bindings = instantiateSchemaEngine();
  const opened: { dispose(): Promise<void> }[] = [];
  const remember = (adapter: { dispose(): Promise<void> }) => void opened.push(adapter);
  const factory =
    target.provider === "sqlite" ? afterConnect(new PrismaBetterSqlite3({ url: target.url }), remember) : afterConnect(pgAdapter(target), remember);
  const bound = bindMigrationAwareSqlAdapterFactory(factory);
  const engine = await bindings.SchemaEngine.new({ datamodels: [["schema.prisma", schemaFor(target.provider)]] }, () => {}, bound);
  return {
    engine: withDriverErrors(engine, bound.errorRegistry),
    async close() {
      engine.free();
      await Promise.all(opened.map((a) => a.dispose()));
    },
  };
}

// The engine reports a driver failure only as "External error id#N"; the driver's own error
// (connection refused, permission denied, ...) sits in the registry under that id.
function withDriverErrors(engine: SchemaEngine, registry: { consumeError(id: number): unknown }): SchemaEngine {
  return new Proxy(engine, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      const method = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => {
        const result = method.apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.catch((error: unknown) => {
          const id = /External error id#(\d+)/.exec(String(error))?.[1];
          const cause = id === undefined ? undefined : registry.consumeError(Number(id));
          if (cause === undefined) throw error;
          throw new Error(`schema engine: ${describe(cause)}`, { cause });
        });
      };
    },
  });
}

function describe(cause: unknown): string {
  if (cause && typeof cause === "object" && "error" in cause) return describe(cause.error);
  if (cause instanceof Error) return cause.message;
  return JSON.stringify(cause);
}
