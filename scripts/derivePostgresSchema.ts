import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { postgresClientSchema } from "../src/storage/provider.ts";

// Part of `npm run generate`: the PostgreSQL client is generated from prisma/schema.prisma with
// only its provider swapped. The derived file is build output (git-ignored), never edited.
const out = fileURLToPath(new URL("../src/storage/generated/postgresql.prisma", import.meta.url));
mkdirSync(fileURLToPath(new URL("../src/storage/generated/", import.meta.url)), { recursive: true });
writeFileSync(out, "// Generated from prisma/schema.prisma by scripts/derivePostgresSchema.ts — do not edit.\n" + postgresClientSchema());
