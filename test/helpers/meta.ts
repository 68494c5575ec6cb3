import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { signLikeMeta } from "../../src/webhooks/signature.ts";

const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));

/** A fixture payload by its path under test/fixtures (without .json). */
export function fixture(name: string): Record<string, any> {
  return JSON.parse(readFileSync(`${FIXTURES}${name}.json`, "utf8"));
}

export function fixtureNames(folder: string): string[] {
  return readdirSync(`${FIXTURES}${folder}`)
    .filter((f) => f.endsWith(".json"))
    .map((f) => `${folder}/${f.slice(0, -5)}`);
}

/**
 * Bytes as Meta sends them: UTF-8 text with `/` escaped as `\/` (non-ASCII stays as it is;
 * the signature is computed over its \uXXXX form, see signLikeMeta).
 */
export function metaBytes(payload: unknown): Buffer {
  return Buffer.from(JSON.stringify(payload).replace(/\//g, "\\/"), "utf8");
}

export { signLikeMeta };
