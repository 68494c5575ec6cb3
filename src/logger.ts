import { GraphQLError } from "graphql";
import pino, { type Logger } from "pino";
import type { Config } from "./env.ts";

/**
 * One convention for every log line about a failure: the error goes under `err`, the message
 * says what failed (`log.error({ err }, "request failed")`). `err` is serialised with its type,
 * message, code and stack (in the log only: answers never carry them); a GraphQLError that wraps
 * what a resolver threw is logged as that error, with the GraphQL path beside it.
 */
export function createLogger(level: Config["logLevel"]): Logger {
  return pino({ level, base: { service: "coexist-hub" }, serializers: { err: serializeError } });
}

export function serializeError(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  if (value instanceof GraphQLError && value.originalError && value.originalError !== value) {
    return { ...pino.stdSerializers.err(value.originalError), graphqlPath: value.path?.join(".") };
  }
  return pino.stdSerializers.err(value);
}

type LogArguments = unknown[];

/**
 * graphql-yoga (and whatever else logs with console-style `(...args)`) as pino lines of the
 * convention above: an Error among the arguments becomes `err`, strings the message. Spreading
 * the arguments into pino as they come logged `{"0":{}}` (an Error has no enumerable fields).
 */
export function consoleStyle(log: Logger) {
  const at =
    (level: "debug" | "info" | "warn" | "error") =>
    (...args: LogArguments) => {
      const err = args.find((a) => a instanceof Error);
      const words = args.filter((a) => typeof a === "string");
      const rest = args.filter((a) => a !== err && typeof a !== "string");
      const message = words.join(" ") || (err instanceof Error ? err.message : "");
      log[level]({ ...(err ? { err } : {}), ...(rest.length ? { details: rest } : {}) }, message);
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
