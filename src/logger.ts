import pino, { type Logger } from "pino";
import type { Config } from "./env.ts";

export function createLogger(level: Config["logLevel"]): Logger {
  return pino({ level, base: { service: "coexist-hub" } });
}
