// The layer rules of the README's "How it is built", checked by `npm run lint` (dependency-cruiser).
// Data flows one way: webhooks → domain → ingest/storage → resolvers → schema → server. A rule here
// fails the lint when a module reaches the wrong way or two modules import each other.
/** A path under src/ in one of the named folders. */
const under = (...folders) => `^src/(${folders.join("|")})/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycle",
      severity: "error",
      comment: "A cycle works only by the accident of evaluation order (Pothos builds fields lazily, for one).",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "domain-is-pure",
      severity: "error",
      comment: "domain/ holds the rules: no other layer, no database, no GraphQL, no I/O.",
      from: { path: under("domain") },
      to: { pathNot: [under("domain"), "^node_modules/zod/"], dependencyTypesNot: ["type-only"] },
    },
    {
      name: "domain-types-are-pure",
      severity: "error",
      comment: "Even a type of another layer would make the rules depend on how they are stored or served.",
      from: { path: under("domain") },
      to: { path: "^src/", pathNot: under("domain") },
    },
    {
      name: "webhooks-reach-only-domain",
      severity: "error",
      comment: "webhooks/ turns Meta's bytes into domain inputs; storing them is ingest's job.",
      from: { path: under("webhooks") },
      to: { path: "^src/", pathNot: [under("webhooks", "domain"), "^src/logger\\.ts$", "^src/errors\\.ts$"] },
    },
    {
      name: "storage-below-ingest",
      severity: "error",
      comment: "storage/ is the handle everything writes through; it knows domain types, nothing above.",
      from: { path: under("storage") },
      to: { path: under("webhooks", "ingest", "outbound", "alerts", "resolvers", "schema", "server", "subscriptions", "tokens", "cli") },
    },
    {
      name: "ingest-below-resolvers",
      severity: "error",
      comment: "ingest/ applies domain events; what the API does with them is above it.",
      from: { path: under("ingest") },
      to: { path: under("outbound", "alerts", "resolvers", "schema", "server", "subscriptions", "cli") },
    },
    {
      name: "outbound-below-resolvers",
      severity: "error",
      comment: "outbound/ is the queue and the Graph API client: it stores through ingest and storage; the API above calls it.",
      from: { path: under("outbound") },
      to: { path: under("resolvers", "schema", "server", "subscriptions", "cli", "webhooks") },
    },
    {
      name: "alerts-below-resolvers",
      comment:
        "alerts/ hears committed events, stores alert events and posts them: it reads through storage (and outbound's sync state and token seal); the API above calls it.",
      severity: "error",
      from: { path: under("alerts") },
      to: { path: under("ingest", "resolvers", "schema", "server", "subscriptions", "cli", "webhooks") },
    },
    {
      name: "outbound-knows-no-alerts",
      severity: "error",
      comment: "Alerts read the outbound's sync state; the queue never waits on an alert.",
      from: { path: under("outbound") },
      to: { path: under("alerts") },
    },
    {
      name: "resolvers-know-no-pothos",
      severity: "error",
      comment: "resolvers/ are plain functions: the schema wires them, never the other way.",
      from: { path: under("resolvers") },
      to: { path: [under("schema", "server", "cli"), "^node_modules/@pothos/"] },
    },
    {
      name: "schema-below-server",
      severity: "error",
      comment: "schema/ declares types; the server serves them.",
      from: { path: under("schema") },
      to: { path: under("server", "cli", "ingest", "webhooks", "subscriptions"), dependencyTypesNot: ["type-only"] },
    },
    {
      name: "no-orphans-in-src",
      severity: "error",
      comment: "A module nothing imports is dead code (entry points excepted).",
      from: {
        orphan: true,
        path: "^src/",
        pathNot: ["^src/main\\.ts$", "^src/cli/main\\.ts$", "^src/storage/migrateCli\\.ts$", "^src/storage/generated/", "\\.d\\.ts$"],
      },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^src/storage/generated/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
