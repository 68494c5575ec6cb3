import { Command, InvalidArgumentError, Option } from "commander";
import { SCOPES, type Scope } from "../domain/tokenPowers.ts";
import type { TokenSummary } from "../tokens/store.ts";
import { databaseUrlOption, resolveDatabaseTarget, withDatabase } from "./database.ts";
import { describeTarget } from "../storage/provider.ts";
import { formatTable } from "./table.ts";

// Names end up in logs and in `hub tokens revoke <name>`: keep them shell- and log-safe.
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
// Meta's WABA ids are decimal numbers.
const WABA_ID = /^\d{1,32}$/;

function tokenName(value: string): string {
  if (!NAME.test(value)) throw new InvalidArgumentError("use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
  return value;
}

function wabaIds(value: string, previous: string[] = []): string[] {
  if (!WABA_ID.test(value)) throw new InvalidArgumentError(`a WABA id is digits only (got ${JSON.stringify(value)})`);
  return [...previous, value];
}

interface CreateOptions {
  name: string;
  waba?: string[];
  allWabas?: boolean;
  scope: Scope;
  databaseUrl?: string;
}

export function tokensCommand(): Command {
  const tokens = new Command("tokens")
    .summary("create, list and revoke API tokens scoped to WABAs")
    .description(
      "API tokens let a client (an inbox, a dashboard) read the hub's GraphQL API. Each token made here has a " +
        "name, the WhatsApp Business Accounts (WABAs) whose data it may read, and a scope:\n" +
        "  read   the data of its WABAs: wabas, threads, messages, contacts, history sync, and their subscriptions\n" +
        "  send   read, and sending for its WABAs through the Cloud API (sendMessage, retrySend, markRead, recordSentMessage)\n" +
        "  admin  send, and the hub's own records that span WABAs (webhookDeliveries)\n\n" +
        "The secret is printed once, when the token is created; the hub stores only its sha256 and cannot show it " +
        "again (lost: revoke it and create another). Clients send it as `Authorization: Bearer <secret>` (HTTP) or in " +
        "connectionParams.Authorization (graphql-ws).\n\n" +
        "Tokens in API_TOKENS (environment) keep working beside these, with full access. Works on the database " +
        "directly, so the hub may be running or not; a revoke takes effect within API_TOKEN_CACHE_TTL_MS (10 s by " +
        "default). See docs/tokens.md.",
    )
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  hub tokens create --name inbox-acme --waba 102290129340398 --scope read\n" +
        "  hub tokens create --name ops --all-wabas --scope admin\n" +
        "  hub tokens list\n" +
        "  hub tokens revoke inbox-acme",
    );

  tokens.addCommand(
    new Command("create")
      .summary("make a token and print its secret once")
      .description(
        "Makes a token and prints its secret on stdout (only the secret, so `TOKEN=$(hub tokens create …)` works; " +
          "what it was granted goes to stderr). Give --waba once per WABA, or --all-wabas for every WABA, present " +
          "and future. Names are unique and stay taken after a revoke, so logs and `list` never mix two tokens up.",
      )
      .requiredOption("--name <name>", "how `list` and `revoke` call it, e.g. inbox-acme", tokenName)
      .addOption(new Option("--waba <wabaId>", "a WABA the token may read (repeat for several)").argParser(wabaIds).conflicts("allWabas"))
      .addOption(new Option("--all-wabas", "every WABA, present and future"))
      .addOption(
        new Option("--scope <scope>", "read, send (read + sendMessage) or admin (send + webhookDeliveries)").choices(Object.keys(SCOPES)).makeOptionMandatory(),
      )
      .addOption(databaseUrlOption())
      .addHelpText(
        "after",
        "\nExamples:\n" +
          "  hub tokens create --name inbox-acme --waba 102290129340398 --scope read\n" +
          "  hub tokens create --name inbox-group --waba 1234 --waba 5678 --scope read\n" +
          "  hub tokens create --name ops --all-wabas --scope admin",
      )
      .action(async (options: CreateOptions, command: Command) => {
        if (!options.waba?.length && !options.allWabas) command.error("error: name the WABAs with --waba <wabaId> (repeatable), or pass --all-wabas");
        const target = await resolveDatabaseTarget(options.databaseUrl);
        const { createToken } = await import("../tokens/store.ts");
        const wabas = options.allWabas ? "ALL" : options.waba!;
        const secret = await withDatabase(target, ({ prisma }) => createToken(prisma, { name: options.name, wabaIds: wabas, scope: options.scope }));
        process.stderr.write(
          `database: ${describeTarget(target)}\n` +
            `created token ${options.name}: scope ${options.scope}, WABAs ${wabas === "ALL" ? "all" : wabas.join(", ")}\n` +
            "its secret follows; store it now, the hub cannot show it again:\n",
        );
        console.log(secret);
      }),
  );

  tokens.addCommand(
    new Command("list")
      .summary("show every token (never a secret)")
      .description("Lists the tokens made here: name, WABAs, powers, created, last used (updated at most once per cache period), revoked.")
      .addOption(new Option("--json", "one JSON array instead of the table"))
      .addOption(databaseUrlOption())
      .addHelpText("after", "\nExamples:\n  hub tokens list\n  hub tokens list --json | jq '.[] | select(.revokedAt == null) | .name'")
      .action(async (options: { json?: boolean; databaseUrl?: string }) => {
        const target = await resolveDatabaseTarget(options.databaseUrl);
        const { listTokens } = await import("../tokens/store.ts");
        const all = await withDatabase(target, ({ prisma }) => listTokens(prisma));
        console.log(options.json ? JSON.stringify(all, null, 2) : `database: ${describeTarget(target)}\n\n${tokenTable(all)}`);
      }),
  );

  tokens.addCommand(
    new Command("revoke")
      .summary("stop a token from working")
      .description(
        "Marks the token revoked: from then on it is answered 401 (HTTP) or refused at connection (graphql-ws). " +
          "A running hub notices within API_TOKEN_CACHE_TTL_MS (10 s by default). The row stays, for `list`. Exits 1 " +
          "if no token has that name.",
      )
      .argument("<name>", "the token's name (see hub tokens list)")
      .addOption(databaseUrlOption())
      .addHelpText("after", "\nExamples:\n  hub tokens revoke inbox-acme")
      .action(async (name: string, options: { databaseUrl?: string }) => {
        const target = await resolveDatabaseTarget(options.databaseUrl);
        const { revokeToken } = await import("../tokens/store.ts");
        const outcome = await withDatabase(target, ({ prisma }) => revokeToken(prisma, name));
        if (outcome === "MISSING") {
          process.stderr.write(`hub: no token named ${name} (see hub tokens list)\n`);
          process.exitCode = 1;
          return;
        }
        console.log(outcome === "REVOKED" ? `revoked ${name}` : `${name} was already revoked`);
      }),
  );
  return tokens;
}

function tokenTable(all: readonly TokenSummary[]): string {
  if (all.length === 0) return "no tokens (API_TOKENS from the environment are not listed); make one with hub tokens create";
  const day = (d: Date | null) => (d ? d.toISOString().slice(0, 19).replace("T", " ") : "-");
  return formatTable([
    ["name", "wabas", "powers", "created", "last used", "revoked"],
    ...all.map((t) => [t.name, t.wabaIds === "ALL" ? "all" : t.wabaIds.join(","), t.powers.join(","), day(t.createdAt), day(t.lastUsedAt), day(t.revokedAt)]),
  ]);
}
