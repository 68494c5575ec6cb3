import { Command, InvalidArgumentError, Option } from "commander";
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { startFakeGraph } from "./fakeGraphServer.ts";
import { fakeTemplateRecord } from "./fakeGraphTemplates.ts";
import { DEFAULT_BUSINESS, type SampleBusiness } from "./samples.ts";

/** `--business <phoneNumberId>:<wabaId>[:<displayNumber>]`, repeatable. */
function businessArgument(value: string, previous: SampleBusiness[] = []): SampleBusiness[] {
  const [phoneNumberId, wabaId, displayNumber] = value.split(":");
  if (!phoneNumberId || !wabaId || !/^\d+$/.test(phoneNumberId) || !/^\d+$/.test(wabaId)) {
    throw new InvalidArgumentError(`expected <phoneNumberId>:<wabaId>[:<displayNumber>], digits (got ${JSON.stringify(value)})`);
  }
  return [...previous, { phoneNumberId, wabaId, displayNumber: displayNumber || phoneNumberId }];
}

/** `--fail-later <recipient>:<code>[:<afterMs>]`, repeatable. */
function lateFailureArgument(value: string, previous: { recipient: string; code: number; afterMs?: number }[] = []) {
  const [recipient, code, afterMs] = value.split(":");
  if (!recipient || !code || !/^\d+$/.test(code) || (afterMs !== undefined && !/^\d+$/.test(afterMs))) {
    throw new InvalidArgumentError(`expected <recipient>:<code>[:<afterMs>], e.g. 16505551234:131047:2000 (got ${JSON.stringify(value)})`);
  }
  return [...previous, { recipient, code: Number(code), ...(afterMs !== undefined ? { afterMs: Number(afterMs) } : {}) }];
}

interface Options {
  port: string;
  host: string;
  webhookUrl?: string;
  appSecret?: string;
  business?: SampleBusiness[];
  statusStepMs: string;
  failLater?: { recipient: string; code: number; afterMs?: number }[];
  templates?: string;
}

/** `hub fake-graph`: a fake Graph API on a local port, to try sending without Meta. */
export function fakeGraphCommand(): Command {
  return new Command("fake-graph")
    .summary("run a fake of Meta's Graph API on a local port (to try sending without Meta)")
    .description(
      "Starts a fake of Meta's Graph API (POST /{phone-number-id}/messages, smb_app_data, subscribed_apps; GET " +
        "/{waba-id}/message_templates, the --templates given) that accepts every send in " +
        "Meta's shapes and prints one JSON line per request. Point the hub at it:\n" +
        "  GRAPH_API_URL=<the printed url> GRAPH_API_TOKEN=<any> npm start\n" +
        "With --webhook-url it also posts Meta's status webhooks back to the hub for every message it accepts (sent, " +
        "delivered, read; each signed with the app secret like Meta's), so the hub's messages gain their ticks. A status " +
        "names the number's WABA, which a send does not carry: give each number with --business (default: the sample " +
        `business of hub simulate, ${DEFAULT_BUSINESS.phoneNumberId}:${DEFAULT_BUSINESS.wabaId}).\n` +
        "Stop it with Ctrl-C. See docs/sending.md.",
    )
    .addOption(new Option("--port <port>", "port to listen on (0: any free one)").default("4100"))
    .addOption(new Option("--host <host>", "address to listen on").default("127.0.0.1"))
    .addOption(new Option("--webhook-url <url>", "the hub's base URL, to post status webhooks to (e.g. http://localhost:4000)"))
    .addOption(new Option("--app-secret <secret>", "app secret to sign the status webhooks with (default: the first of WHATSAPP_APP_SECRET, as hub simulate)"))
    .addOption(
      new Option("--business <phoneNumberId:wabaId[:displayNumber]>", "a number the statuses may name, with its WABA (repeat for several)").argParser(
        businessArgument,
      ),
    )
    .addOption(new Option("--status-step-ms <ms>", "time between one status and the next").default("500"))
    .addOption(
      new Option(
        "--fail-later <recipient:code[:afterMs]>",
        "accept every send to this user (its wamid answered), then post its `failed` status with Meta's error code (131047: more than 24 h since the user replied; 131026: undeliverable), afterMs after `sent` (repeat for several)",
      ).argParser(lateFailureArgument),
    )
    .addOption(
      new Option(
        "--templates <file>",
        'JSON file of the templates GET /{waba-id}/message_templates lists: {"<wabaId>": [{"name", "language", "status", "category", "components": [...]}]}',
      ),
    )
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  hub fake-graph\n" +
        "  hub fake-graph --webhook-url http://localhost:4000 --business 106540352242922:102290129340398:15550783881\n" +
        "  hub fake-graph --webhook-url http://localhost:4000 --fail-later 16505551234:131047:2000 --templates templates.json",
    )
    .action(async (options: Options) => {
      let webhooks;
      if (options.webhookUrl) {
        const { appSecret } = await import("./simulate.ts");
        const numbers = new Map((options.business ?? [DEFAULT_BUSINESS]).map((b) => [b.phoneNumberId, b]));
        webhooks = {
          url: options.webhookUrl,
          appSecret: await appSecret(options.appSecret),
          businessOf: (phoneNumberId: string) => numbers.get(phoneNumberId) ?? null,
          stepMs: Number(options.statusStepMs),
        };
      }
      const fake = await startFakeGraph({
        port: Number(options.port),
        host: options.host,
        webhooks,
        onRequest: (r) => console.log(JSON.stringify({ at: new Date(r.at).toISOString(), path: r.path, body: r.body })),
        onPosted: (p) => console.log(JSON.stringify({ webhook: p.status, wamid: p.wamid, answer: p.result })),
      });
      for (const { recipient, ...failure } of options.failLater ?? []) fake.failLater(recipient, failure);
      if (options.templates) {
        const byWaba = z.record(z.string(), z.array(fakeTemplateRecord)).parse(JSON.parse(await readFile(options.templates, "utf8")));
        for (const [wabaId, templates] of Object.entries(byWaba)) fake.templates.set(wabaId, templates);
      }
      console.log(JSON.stringify({ message: "fake Graph API listening", url: fake.url, ...(webhooks ? { statusesTo: webhooks.url } : {}) }));
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      await fake.close();
    });
}
