/**
 * Writes the GraphQL schema as SDL to `schema.graphql` at the repository root, the input of
 * GraphQL Code Generator (see codegen.ts). Run through `npm run codegen`, never by hand edits:
 * test/integration/schemaArtifacts.test.ts fails while the committed file differs from this output.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
// "graphql/index.js", not "graphql": the package has no "exports" map, so Vite (vitest) would pick
// its ESM build ("module") while the schema's own modules (Pothos, graphql-scalars) get the CommonJS
// one from Node, and graphql refuses objects of one instance in functions of the other. The explicit
// file is the same module for Node, tsx and vitest.
import { lexicographicSortSchema, printSchema } from "graphql/index.js";
import { schema } from "../src/schema/index.ts";

export const SCHEMA_FILE = fileURLToPath(new URL("../schema.graphql", import.meta.url));

const BANNER = "# generated — do not edit; run npm run codegen\n# (printed from the Pothos schema in src/schema by scripts/printSchema.ts)\n\n";

/** The SDL exactly as `schema.graphql` should hold it now. */
export function schemaSdl(): string {
  return `${BANNER}${printSchema(lexicographicSortSchema(schema))}\n`;
}

const runDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (runDirectly) {
  writeFileSync(SCHEMA_FILE, schemaSdl());
  console.log(`wrote ${SCHEMA_FILE}`);
}
