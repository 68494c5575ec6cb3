import { Command, Option } from "commander";
import { startFakeGraph } from "./fakeGraphServer.ts";

/** `hub fake-graph`: a fake Graph API on a local port, to try sending without Meta. */
export function fakeGraphCommand(): Command {
  return new Command("fake-graph")
    .summary("run a fake of Meta's Graph API on a local port (to try sending without Meta)")
    .description(
      "Starts a fake of Meta's Graph API (POST /{phone-number-id}/messages, smb_app_data) that accepts every send in " +
        "Meta's shapes and prints one JSON line per request. Point the hub at it:\n" +
        "  GRAPH_API_URL=<the printed url> GRAPH_API_TOKEN=<any> npm start\n" +
        "Stop it with Ctrl-C. See docs/sending.md.",
    )
    .addOption(new Option("--port <port>", "port to listen on (0: any free one)").default("4100"))
    .addOption(new Option("--host <host>", "address to listen on").default("127.0.0.1"))
    .action(async (options: { port: string; host: string }) => {
      const fake = await startFakeGraph({
        port: Number(options.port),
        host: options.host,
        onRequest: (r) => console.log(JSON.stringify({ at: new Date(r.at).toISOString(), path: r.path, body: r.body })),
      });
      console.log(JSON.stringify({ message: "fake Graph API listening", url: fake.url }));
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      await fake.close();
    });
}
