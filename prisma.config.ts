import { defineConfig } from "prisma/config";

// The CLI is used only for `prisma generate`, which needs no engine; the variable
// stops it from trying to download one (see README, "Prisma without its binaries").
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= "/bin/true";

export default defineConfig({
  schema: "prisma/schema.prisma",
});
