import { builder } from "./builder.ts";
import "./facts.ts";
import "./disconnection.ts";
import "./accountEvent.ts";
import "./waba.ts";
import "./phoneNumber.ts";
import "./delivery.ts";
import "./replay.ts";
import "./message.ts";
import "./messageReactions.ts";
import "./messageReferral.ts";
import "./thread.ts";
import "./historySync.ts";
import "./messageBilling.ts";
import "./phoneNumberError.ts";
import "./orphanStatus.ts";
import "./send.ts";

export const schema = builder.toSchema({ sortSchema: true });
