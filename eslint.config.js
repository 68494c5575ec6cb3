// typescript-eslint's recommended type-checked rules on every TypeScript file we write (npm run lint).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/generated/**", "dist/**", "console/dist/**", "examples/generated/**", "test-results/**", "data/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // `_name` marks a parameter a signature requires but the function does not read.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      // Off: an async function is how a Promise-returning interface is met (an AsyncIterator's return,
      // a resolver, a test hook), whether or not this implementation has anything to await.
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    files: ["test/**/*.ts", "bench/**/*.ts"],
    rules: {
      // Tests read GraphQL answers and webhook payloads as untyped JSON and let the assertions do the
      // checking (the typed client in test/helpers/typedClient.ts is used where types matter); the
      // benchmarks' baselines are deliberately bare servers that read back payloads the bench built.
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
    },
  },
  // Layer rules that are about code, not imports (the import rules are .dependency-cruiser.cjs's).
  {
    files: ["src/schema/**/*.ts"],
    ignores: ["src/schema/builder.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: "MemberExpression[property.name='db']", message: "schema/ declares types; a query body belongs in resolvers/ (README, How it is built)." },
      ],
    },
  },
  {
    files: ["src/{domain,webhooks,ingest,resolvers,schema,outbound,server,cli,tokens,subscriptions}/**/*.ts", "src/*.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[property.name='provider']",
          message: "Only src/storage knows which database it runs on: ask the storage handle (e.g. sql.placeholder) instead.",
        },
      ],
    },
  },
  { files: ["**/*.js", "**/*.mjs", "**/*.cjs"], ...tseslint.configs.disableTypeChecked },
  // CommonJS configuration files (dependency-cruiser reads .cjs).
  { files: ["**/*.cjs"], languageOptions: { sourceType: "commonjs", globals: { module: "writable", require: "readonly" } } },
  // Plain Node scripts (no TypeScript): Node's globals.
  {
    files: ["**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", fetch: "readonly", performance: "readonly", URL: "readonly" } },
  },
);
