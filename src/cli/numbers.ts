import { Command, InvalidArgumentError } from "commander";
import { MAX_RATE_PER_SECOND, validRate } from "../domain/sendPace.ts";
import { describeTarget } from "../storage/provider.ts";
import { databaseUrlOption, resolveDatabaseTarget, withDatabase } from "./database.ts";

/** `default`, or a rate Meta could allow. */
function rateArgument(value: string): number | null {
  if (value === "default") return null;
  const rate = Number(value);
  if (!validRate(rate)) throw new InvalidArgumentError(`a number of messages per second, more than 0 and at most ${MAX_RATE_PER_SECOND}, or "default"`);
  return rate;
}

/** `hub numbers`: settings of the business phone numbers the hub knows. */
export function numbersCommand(): Command {
  const numbers = new Command("numbers")
    .summary("settings of the business phone numbers the hub knows")
    .description("Settings of one business phone number, written to the database directly (the hub may be running or not). See docs/sending.md.")
    .addHelpText("after", "\nExamples:\n  hub numbers rate 106540352242922 200     send from this number at 200 messages per second");
  numbers.addCommand(
    new Command("rate")
      .summary("set how many messages per second the hub sends from a number")
      .description(
        "Sets the pace of the outbound queue for one number, as the setSendRate mutation does: every running instance uses it " +
          "from its next reservation. `default` goes back to SEND_RATE_PER_SECOND (80). A coexistence number never goes above " +
          "SEND_COEXISTENCE_RATE_PER_SECOND (Meta fixes it at 20), whatever is set. Exits 1 if the hub knows no such number.",
      )
      .argument("<phoneNumberId>", "Meta's phone number id")
      .argument("<rate>", `messages per second (more than 0, at most ${MAX_RATE_PER_SECOND}) or "default"`, rateArgument)
      .addOption(databaseUrlOption())
      .addHelpText("after", "\nExamples:\n  hub numbers rate 106540352242922 200\n  hub numbers rate 106540352242922 default")
      .action(async (phoneNumberId: string, rate: number | null, options: { databaseUrl?: string }) => {
        const target = await resolveDatabaseTarget(options.databaseUrl);
        const { setNumberRate } = await import("../outbound/facts.ts");
        const found = await withDatabase(target, (storage) => storage.writeTransaction((tx) => setNumberRate(tx, phoneNumberId, rate)));
        if (!found) {
          process.stderr.write(`hub: no phone number ${phoneNumberId} in ${describeTarget(target)}\n`);
          process.exitCode = 1;
          return;
        }
        console.log(`${phoneNumberId}: ${rate === null ? "the default rate" : `${rate} messages per second`}`);
      }),
  );
  return numbers;
}
