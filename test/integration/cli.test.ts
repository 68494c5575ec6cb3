import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySignature } from "../../src/webhooks/signature.ts";
import { APP_SECRET, freshDatabase, startApp, type TestApp } from "../helpers/app.ts";
import { fakeGraph, GRAPH_TOKEN } from "../helpers/fakeGraph.ts";
import { runSql } from "../helpers/database.ts";
import { fixture } from "../helpers/meta.ts";

const BIN = fileURLToPath(new URL("../../bin/hub.mjs", import.meta.url));

// The CLI runs in a scratch folder, so a developer's .env or ./data never leaks into these tests.
const cwd = mkdtempSync(join(tmpdir(), "coexist-hub-cli-"));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/hub.mjs …` as a child process (asynchronously: the server answering it lives in this process). */
function hub(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, env: { ...process.env, REDIS_URL: "", WHATSAPP_APP_SECRET: "", ...env }, timeout: 25_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

let app: TestApp;
let database: Record<string, string>;
const simulate = (...args: string[]) => hub(["simulate", ...args, "--url", app.url, "--secret", APP_SECRET]);

const OFFBOARD_WABA = "900000000000001";
const PARTNER_WABA = "900000000000002";
const HISTORY_WABA = "900000000000003";
const HISTORY_PHONE = "800000000000003";

async function waba(wabaId: string) {
  const r = await app.graphql(
    `query ($id: String!) { waba(wabaId: $id) { connectionState disconnections { kind reason initiatedBy recommendedAction occurredAt resolvedAt } } }`,
    { id: wabaId },
  );
  expect(r.errors).toBeUndefined();
  return r.data.waba;
}

// Each CLI run is a process start of about a second, so independent runs go side by side: the
// groups below run concurrently, and the server-backed group starts its independent runs together.
describe.concurrent("hub", () => {
  describe("--help", () => {
    it("explains the program and every command with its options and exits 0; a bad invocation exits 1 and says why", async () => {
      const expected: Record<string, string[]> = {
        "": ["serve", "migrate", "simulate", "replay", "stats", "tokens", "secrets", "onboard", "Examples:"],
        serve: ["--port", "PORT", "DATABASE_URL", "Examples:"],
        migrate: ["--database-url", "Examples:"],
        simulate: [
          "--url",
          "--secret",
          "--waba",
          "--phone-number-id",
          "--display-number",
          "--seed",
          "--messages",
          "--threads",
          "--chunk-size",
          "--count",
          "--concurrency",
          "offboard-cycle",
          "partner-removed",
          "history",
          "echoes",
          "inbound",
          "all",
          "Examples:",
        ],
        replay: ["--failed", "--received", "--field", "--database-url", "REDIS_URL", "Examples:"],
        stats: ["--json", "--database-url", "Examples:"],
        secrets: ["WHATSAPP_VERIFY_TOKEN", "API_TOKENS", "never the values", "Examples:"],
        onboard: ["--waba", "--phone-number", "--code", "BUSINESS_TOKEN_KEY", "subscribed_apps", "smb_app_data", "24 hours", "Examples:"],
        "fake-graph": ["--port", "--webhook-url", "--app-secret", "--business", "--status-step-ms", "Examples:"],
        numbers: ["rate", "Examples:"],
      };
      const [scenario, replay, ...helps] = await Promise.all([
        hub(["simulate", "bogus"]),
        hub(["replay"]),
        ...Object.keys(expected).map((command) => hub(command ? [command, "--help"] : ["--help"])),
      ]);
      Object.values(expected).forEach((mentions, i) => {
        expect(helps[i]!.code).toBe(0);
        for (const text of mentions) expect(helps[i]!.stdout).toContain(text);
      });
      expect(scenario.code).toBe(1);
      expect(scenario.stderr).toContain("Allowed choices are offboard-cycle");
      expect(replay.code).toBe(1);
      expect(replay.stderr).toContain("--failed");
    });
  });

  describe("migrate", () => {
    it("applies the migrations to a new database once, then finds it up to date", async () => {
      const fresh = freshDatabase(join(cwd, "fresh"));
      try {
        const first = await hub(["migrate"], { DATABASE_URL: fresh.url });
        expect(first.code, first.stderr).toBe(0);
        expect(first.stdout).toMatch(/^applied \d+_\w+$/m);
        const second = await hub(["migrate"], { DATABASE_URL: fresh.url });
        expect(second.stdout).toContain("up to date");
      } finally {
        await fresh.drop();
      }
    });
  });

  describe("simulate against a flaky endpoint", () => {
    it("signs Meta's bytes, retries a 503, does not retry a 400, and reports both", async () => {
      // Answers the deliveries in turn: 503, then 200 (the first delivery's retry), then 400.
      const answers = [503, 200, 400];
      const bodies: { raw: Buffer; signature: string | undefined }[] = [];
      const fake = createServer((req, res) => {
        if (req.method === "GET") return void res.end("{}");
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          bodies.push({ raw: Buffer.concat(chunks), signature: req.headers["x-hub-signature-256"] as string | undefined });
          const status = answers.shift() ?? 500;
          res.writeHead(status, { "Content-Type": "application/json", ...(status === 503 ? { "Retry-After": "0" } : {}) });
          res.end(JSON.stringify(status === 200 ? { deliveryId: "d1", outcome: "PROCESSED" } : { error: `answer ${status}` }));
        });
      });
      await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
      try {
        const url = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
        const run = await hub(["simulate", "inbound", "--count", "2", "--url", url, "--secret", APP_SECRET]);
        expect(run.code).toBe(1);
        expect(run.stdout).toContain("sent 2, accepted 1 (PROCESSED 1), failed 1");
        expect(run.stdout).toContain("1 × HTTP 400: answer 400");
        expect(bodies).toHaveLength(3);
        expect(bodies[1]!.raw.equals(bodies[0]!.raw)).toBe(true);
        for (const { raw, signature } of bodies) {
          expect(verifySignature(raw, signature, [APP_SECRET])).toMatchObject({ ok: true, scheme: "ESCAPED_UNICODE" });
          expect(raw.toString("utf8")).toMatch(/[\u0080-\uffff]/);
        }
      } finally {
        fake.close();
      }
    });
  });

  describe.sequential("against a running hub", () => {
    beforeAll(async () => {
      app = await startApp();
      database = { DATABASE_URL: app.databaseUrl };
    });

    describe("simulate", () => {
      let offboard: { first: Run; again: Run };
      let partner: Run;
      let history: Run;
      beforeAll(async () => {
        // Different WABAs and numbers: the scenarios cannot disturb each other.
        [offboard, partner, history] = await Promise.all([
          (async () => {
            const first = await simulate("offboard-cycle", "--waba", OFFBOARD_WABA, "--seed", "11");
            return { first, again: await simulate("offboard-cycle", "--waba", OFFBOARD_WABA, "--seed", "11") };
          })(),
          simulate("partner-removed", "--waba", PARTNER_WABA),
          simulate("history", "--messages", "500", "--threads", "10", "--waba", HISTORY_WABA, "--phone-number-id", HISTORY_PHONE),
        ]);
      });

      it("offboard-cycle leaves the WABA CONNECTED with one resolved ACCOUNT_OFFBOARDED; a seed repeats the same bytes", async () => {
        expect(offboard.first.code, offboard.first.stderr).toBe(0);
        expect(offboard.first.stdout).toMatch(/sent 2, accepted 2 \(PROCESSED 2\), failed 0, elapsed [\d.]+ s, [\d.]+ deliveries\/s/);

        const w = await waba(OFFBOARD_WABA);
        expect(w.connectionState).toBe("CONNECTED");
        expect(w.disconnections).toHaveLength(1);
        expect(w.disconnections[0]).toMatchObject({ kind: "ACCOUNT_OFFBOARDED", recommendedAction: "PAUSE_AND_AWAIT_RECONNECT" });
        expect(w.disconnections[0].resolvedAt).not.toBeNull();

        expect(offboard.again.stdout).toContain("accepted 2 (ALREADY_PROCESSED 2)");
      });

      it("partner-removed opens one disconnection per reason, each with its recommended action", async () => {
        expect(partner.code, partner.stderr).toBe(0);
        expect(partner.stdout).toContain("sent 9, accepted 9 (PROCESSED 9), failed 0");

        const w = await waba(PARTNER_WABA);
        expect(w.connectionState).toBe("DISCONNECTED");
        const oldestFirst = [...w.disconnections].reverse();
        expect(oldestFirst.map((d: any) => [d.kind, d.reason, d.initiatedBy, d.recommendedAction, d.resolvedAt !== null])).toEqual([
          ["PARTNER_REMOVED", "BUSINESS_DOWNGRADE", "USER", "NO_REENGAGEMENT", true],
          ["PARTNER_REMOVED", "PRIMARY_INACTIVITY", "SYSTEM", "PROMPT_RECONNECT", true],
          ["PARTNER_REMOVED", "COMPANION_INACTIVITY", "SYSTEM", "PROMPT_RECONNECT", true],
          ["PARTNER_REMOVED", "CHANGE_NUMBER", "SYSTEM", "REONBOARD_NEW_NUMBER", true],
          ["PARTNER_REMOVED", "USER_RE_REGISTERED", "USER", "REONBOARD", false],
        ]);
      });

      it("history --messages 500 ends with a COMPLETE sync over phases 0, 1, 2 and all 500 messages stored", async () => {
        expect(history.code, history.stderr).toBe(0);
        expect(history.stdout).toMatch(/history sync of 500 messages in 10 threads/);
        expect(history.stdout).toMatch(/failed 0/);

        const sync = (await app.graphql(`{ historySync(phoneNumberId: "${HISTORY_PHONE}") { status progress phases chunks { messages } } }`)).data.historySync;
        expect(sync.status).toBe("COMPLETE");
        expect(sync.progress).toBe(100);
        expect([...sync.phases].sort()).toEqual([0, 1, 2]);
        expect(sync.chunks.reduce((n: number, c: any) => n + c.messages, 0)).toBe(500);

        // 10 threads of 50 messages each: one page of each is everything, within the API's cost limit.
        const page = await app.graphql(
          `{ threads(first: 11, phoneNumberId: "${HISTORY_PHONE}") { edges { node { messages(first: 51) { edges { node { wamid source text } } } } } } }`,
        );
        expect(page.errors).toBeUndefined();
        const threads = page.data.threads.edges;
        expect(threads).toHaveLength(10);
        const messages = threads.flatMap((t: any) => t.node.messages.edges.map((e: any) => e.node));
        expect(new Set(messages.map((m: any) => m.wamid)).size).toBe(500);
        expect(messages.every((m: any) => m.source === "HISTORY")).toBe(true);
        // The samples carry non-ASCII text, which only arrives intact if bytes and signature are right.
        expect(messages.some((m: any) => /[\u0080-\uffff]/.test(m.text))).toBe(true);
      });
    });

    describe("stats", () => {
      it("counts what the simulations stored (--json), and prints the same as a table", async () => {
        const [json, table] = await Promise.all([hub(["stats", "--json"], database), hub(["stats"], database)]);
        expect(json.code, json.stderr).toBe(0);
        const stats = JSON.parse(json.stdout);
        const processed = (await app.graphql("{ webhookDeliveries(status: PROCESSED) { totalCount } }")).data.webhookDeliveries.totalCount;

        // Two WABAs from the account simulations, and HISTORY_WABA, listed from its history chunks.
        expect(stats.wabas).toEqual({ total: 3, by: { CONNECTED: 2, OFFBOARDED: 0, DISCONNECTED: 1, DELETED: 0 } });
        expect(stats.deliveries).toEqual({ total: processed, by: { RECEIVED: 0, PROCESSED: processed, PARTIAL: 0, FAILED: 0 } });
        expect(processed).toBeGreaterThan(2 + 9);
        expect(stats.threads).toBe(10);
        expect(stats.messages).toEqual({ total: 500, by: { HISTORY: 500, ECHO: 0, WEBHOOK: 0, API: 0 } });
        expect(stats.contacts).toBe(10);
        expect(stats.historySyncs).toEqual({ total: 1, by: { NOT_STARTED: 0, IN_PROGRESS: 0, COMPLETE: 1, DECLINED: 0 } });

        expect(table.code).toBe(0);
        expect(table.stdout).toMatch(/^messages +500$/m);
        expect(table.stdout).toMatch(/^ {2}HISTORY +500$/m);
      });
    });

    describe("replay", () => {
      let failedId: string;
      let processedId: string;
      let failedRun: Run;
      let processedRun: Run;
      beforeAll(async () => {
        // A type error inside a known event: stored, FAILED, and the same bytes can never project.
        const res = await app.deliver({
          object: "whatsapp_business_account",
          entry: [{ id: "700", time: 2000, changes: [{ field: "account_update", value: { event: "DISABLED_UPDATE", ban_info: { waba_ban_state: 3 } } }] }],
        });
        const body = await res.json();
        expect(body.outcome).toBe("FAILED");
        failedId = body.deliveryId;
        processedId = (await app.graphql("{ webhookDeliveries(first: 1, status: PROCESSED) { edges { node { id } } } }")).data.webhookDeliveries.edges[0].node
          .id;
        [failedRun, processedRun] = await Promise.all([hub(["replay", "--failed"], database), hub(["replay", processedId], database)]);
      });

      it("reprocesses a FAILED delivery, reports that it still fails and exits 1", async () => {
        expect(failedRun.code).toBe(1);
        expect(failedRun.stdout).toContain(`${failedId}  FAILED → FAILED  entry[0].changes[0] (account_update): ban_info.waba_ban_state`);
        expect(failedRun.stdout).toContain("replayed 1 delivery: 0 processed, 0 already processed, 1 still failing");
        const failed = (await app.graphql("{ webhookDeliveries(status: FAILED) { edges { node { id attempts } } } }")).data.webhookDeliveries.edges;
        expect(failed).toEqual([{ node: { id: failedId, attempts: 2 } }]);
      });

      it("projects again, with --field, the PROCESSED deliveries of a field an earlier version stored without reading it", async () => {
        const res = await app.deliver(fixture("message_template_status_update/approved"));
        const { deliveryId } = await res.json();
        // As an earlier version left it: the delivery stored and PROCESSED, nothing projected from it.
        await runSql(app.databaseUrl, `DELETE FROM "MessageTemplate"`);
        await runSql(app.databaseUrl, `DELETE FROM "AccountSignal"`);
        const templates = async () => (await app.graphql(`{ waba(wabaId: "102290129340398") { templates { name status } } }`)).data.waba.templates as unknown[];
        expect(await templates()).toEqual([]);
        const run = await hub(["replay", "--field", "message_template_status_update"], database);
        expect(run.code, run.stderr).toBe(0);
        expect(run.stdout).toContain(`${deliveryId}  PROCESSED → PROCESSED  0 account events, 0 messages, 1 operators' event`);
        expect(await templates()).toEqual([{ name: "order_confirmation", status: "APPROVED" }]);
      });

      it("reports ALREADY_PROCESSED for a PROCESSED delivery named by id, and exits 0", async () => {
        expect(processedRun.code, processedRun.stderr).toBe(0);
        expect(processedRun.stdout).toContain(`${processedId}  PROCESSED → ALREADY_PROCESSED`);
        expect(processedRun.stdout).toContain("replayed 1 delivery: 0 processed, 1 already processed, 0 still failing");
      });
    });

    describe("onboard", { timeout: 90_000 }, () => {
      const ONBOARD_WABA = "900000000000004";
      const ONBOARD_PHONE = "800000000000004";
      const BUSINESS_TOKEN = "EAABonboardclitesttoken0123456789";

      it("exchanges the code, subscribes, syncs, prints each step and never the token; a failed step exits 1 and a second run finishes it", async () => {
        const fake = await fakeGraph();
        fake.accounts.signup("cli-code", BUSINESS_TOKEN);
        fake.failPath(`/${ONBOARD_PHONE}/smb_app_data`, { code: 1, status: 500, times: 1, message: "An unknown error occurred" });
        const env = {
          ...database,
          GRAPH_API_URL: fake.url,
          GRAPH_API_TOKEN: GRAPH_TOKEN,
          WHATSAPP_APP_ID: "1122334455",
          WHATSAPP_APP_SECRET: APP_SECRET,
          BUSINESS_TOKEN_KEY: randomBytes(32).toString("base64"),
        };
        const args = ["onboard", "--waba", ONBOARD_WABA, "--phone-number", ONBOARD_PHONE];
        const first = await hub([...args, "--code", "cli-code"], env);
        expect(first.code, first.stderr).toBe(1);
        expect(first.stdout).toMatch(/^EXCHANGE_CODE +DONE /m);
        expect(first.stdout).toMatch(/^SUBSCRIBE_APP +DONE /m);
        expect(first.stdout).toMatch(/^CONTACTS_SYNC +FAILED .* 1 An unknown error occurred$/m);
        expect(first.stdout).toMatch(/^HISTORY_SYNC +PENDING$/m);
        const again = await hub(args, env);
        expect(again.code, again.stderr).toBe(0);
        expect(again.stdout.match(/ DONE /g)).toHaveLength(4);
        expect(first.stdout + first.stderr + again.stdout + again.stderr).not.toContain(BUSINESS_TOKEN);
        expect(fake.requests.filter((r) => r.path === "/oauth/access_token")).toHaveLength(1);
        expect(fake.accounts.synced(ONBOARD_PHONE)).toEqual(["smb_app_state_sync", "history"]);
      });

      it("refuses a code without BUSINESS_TOKEN_KEY, exits 1 and calls nothing", async () => {
        const fake = await fakeGraph();
        const run = await hub(["onboard", "--waba", "900000000000005", "--phone-number", "800000000000005", "--code", "x"], {
          ...database,
          GRAPH_API_URL: fake.url,
          GRAPH_API_TOKEN: GRAPH_TOKEN,
          WHATSAPP_APP_ID: "1122334455",
        });
        expect(run.code).toBe(1);
        expect(run.stderr).toContain("BUSINESS_TOKEN_KEY");
        expect(fake.requests).toEqual([]);
      });
    });

    // Several CLI runs in a row per test: more time than the default when the machine is busy.
    describe("tokens", { timeout: 90_000 }, () => {
      const asToken = async (secret: string, query: string) => {
        const res = await fetch(`${app.url}/graphql`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: `Bearer ${secret}` },
          body: JSON.stringify({ query }),
        });
        return { status: res.status, body: (await res.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] } };
      };

      it("--help explains scopes, the once-only secret and the revocation delay", async () => {
        const [tokens, create] = await Promise.all([hub(["tokens", "--help"]), hub(["tokens", "create", "--help"])]);
        for (const text of ["create", "list", "revoke", "read", "admin", "API_TOKENS", "API_TOKEN_CACHE_TTL_MS", "Examples:"])
          expect(tokens.stdout).toContain(text);
        for (const text of ["--name", "--waba", "--all-wabas", "--scope", "--database-url", "once", "Examples:"]) expect(create.stdout).toContain(text);
      });

      it("create prints only the secret on stdout, once; the token reads its WABA alone and no deliveries", async () => {
        const run = await hub(["tokens", "create", "--name", "inbox-offboard", "--waba", OFFBOARD_WABA, "--scope", "read"], database);
        expect(run.code, run.stderr).toBe(0);
        expect(run.stdout).toMatch(/^chub_[\w-]{43}\n$/);
        expect(run.stderr).toContain("cannot show it again");
        const secret = run.stdout.trim();
        const wabas = await asToken(secret, "{ wabas { edges { node { wabaId } } } }");
        expect(wabas.body.data.wabas.edges).toEqual([{ node: { wabaId: OFFBOARD_WABA } }]);
        const deliveries = await asToken(secret, "{ webhookDeliveries(first: 1) { edges { node { id } } } }");
        expect(deliveries.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
        const list = await hub(["tokens", "list"], database);
        expect(list.stdout).toMatch(new RegExp(`^inbox-offboard +${OFFBOARD_WABA} +read `, "m"));
        expect(list.stdout).not.toContain(secret);
      });

      it("create refuses a name in use, no WABA, or --waba with --all-wabas, and exits 1 saying why", async () => {
        const [again, none, both] = await Promise.all([
          hub(["tokens", "create", "--name", "inbox-offboard", "--all-wabas", "--scope", "admin"], database),
          hub(["tokens", "create", "--name", "no-waba", "--scope", "read"], database),
          hub(["tokens", "create", "--name", "both", "--waba", "1", "--all-wabas", "--scope", "read"], database),
        ]);
        expect([again.code, none.code, both.code]).toEqual([1, 1, 1]);
        expect(again.stderr).toContain("exists already");
        expect(none.stderr).toContain("--all-wabas");
        expect(both.stderr).toContain("cannot be used with");
        expect(again.stdout + none.stdout + both.stdout).toBe("");
      });

      it("revoke makes a token answer 401, shows in list --json, and exits 1 for an unknown name", async () => {
        const secret = (await hub(["tokens", "create", "--name", "ops", "--all-wabas", "--scope", "admin"], database)).stdout.trim();
        const revoke = await hub(["tokens", "revoke", "ops"], database);
        expect(revoke.code, revoke.stderr).toBe(0);
        expect(revoke.stdout).toContain("revoked ops");
        expect((await asToken(secret, "{ __typename }")).status).toBe(401);
        const [again, unknown, list] = await Promise.all([
          hub(["tokens", "revoke", "ops"], database),
          hub(["tokens", "revoke", "nobody"], database),
          hub(["tokens", "list", "--json"], database),
        ]);
        expect(again.stdout).toContain("already revoked");
        expect(unknown.code).toBe(1);
        expect(unknown.stderr).toContain("no token named nobody");
        const ops = (JSON.parse(list.stdout) as { name: string; wabaIds: unknown; powers: string[]; revokedAt: string | null }[]).find((t) => t.name === "ops");
        expect(ops).toMatchObject({ wabaIds: "ALL", powers: ["read", "send", "admin"] });
        expect(ops!.revokedAt).not.toBeNull();
      });
    });

    describe("numbers", { timeout: 90_000 }, () => {
      const rate = async () =>
        (await app.graphql(`{ waba(wabaId: "${HISTORY_WABA}") { phoneNumbers { phoneNumberId sending { ratePerSecond } } } }`)).data.waba.phoneNumbers.find(
          (n: { phoneNumberId: string }) => n.phoneNumberId === HISTORY_PHONE,
        ).sending.ratePerSecond;

      it("rate sets a number's own pace and default sets it back; an unknown number or a bad rate exits 1", async () => {
        const set = await hub(["numbers", "rate", HISTORY_PHONE, "7"], database);
        expect(set.code, set.stderr).toBe(0);
        expect(set.stdout).toContain("7 messages per second");
        expect(await rate()).toBe(7);
        const back = await hub(["numbers", "rate", HISTORY_PHONE, "default"], database);
        expect(back.code, back.stderr).toBe(0);
        // A history sync named it: a coexistence number, at 20 by default.
        expect(await rate()).toBe(20);
        const [unknown, bad] = await Promise.all([hub(["numbers", "rate", "123", "5"], database), hub(["numbers", "rate", HISTORY_PHONE, "0"], database)]);
        expect([unknown.code, bad.code]).toEqual([1, 1]);
        expect(unknown.stderr).toContain("no phone number 123");
        expect(bad.stderr).toContain("at most 1000");
      });
    });
  });
});
