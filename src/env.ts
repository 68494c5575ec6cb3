import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { z } from "zod";
import { loadDevSecrets, type DevSecret, type GeneratedSecrets } from "./devSecrets.ts";
import { alertsConfig, alertsEnv } from "./config/alerts.ts";
import { checkLimits, limitsConfig, limitsEnv } from "./config/limits.ts";
import { sendingConfig, sendingEnv } from "./config/sending.ts";
import { serviceConfig, serviceEnv } from "./config/service.ts";
import { checkSignals, signalsConfig, signalsEnv } from "./config/signals.ts";
import { invalidConfiguration } from "./config/values.ts";

// The variables by area (src/config/): each area's file declares its variables (zod) and what they
// become; the configuration's type is what they become, so no field is declared twice.
const schema = z.object({ ...serviceEnv, ...limitsEnv, ...sendingEnv, ...signalsEnv, ...alertsEnv });

export type Config = ReturnType<typeof serviceConfig> &
  ReturnType<typeof limitsConfig> &
  ReturnType<typeof sendingConfig> &
  ReturnType<typeof signalsConfig> &
  ReturnType<typeof alertsConfig>;

/**
 * Reads the configuration. In development a missing secret or token is generated so the server
 * starts at once (they are returned so the caller prints them once); in production it is an error.
 * Signature checking itself is never switched off.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): { config: Config; generated: GeneratedSecrets } {
  const parsed = schema.safeParse(source);
  if (!parsed.success) throw invalidConfiguration(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const e = parsed.data;
  checkSignals(e);
  checkLimits(e);
  const generated: GeneratedSecrets = {};
  const make = (key: keyof GeneratedSecrets): string => {
    if (e.NODE_ENV === "production") throw new Error(`${key} must be set in production (see .env.example)`);
    const value = randomBytes(24).toString("base64url");
    generated[key] = value;
    return value;
  };
  const config: Config = {
    ...serviceConfig(e, make),
    ...limitsConfig(e, e.NODE_ENV === "production"),
    ...sendingConfig(e),
    ...signalsConfig(e),
    ...alertsConfig(e),
  };
  return { config, generated };
}

/**
 * Loads ./.env when there is one (variables already set win), then, outside production, the
 * secrets a development start generated earlier (see devSecrets.ts); returns the names read from there.
 */
export function loadDotEnv(path = ".env"): DevSecret[] {
  if (existsSync(path)) process.loadEnvFile(path);
  return loadDevSecrets();
}
