import { builder } from "./builder.ts";
import "./facts.ts";
import "./disconnection.ts";
import "./accountEvent.ts";
import "./waba.ts";
import "./phoneNumber.ts";
import "./delivery.ts";
import "./replay.ts";
import "./message.ts";
import "./thread.ts";
import "./historySync.ts";

export const schema = builder.toSchema({ sortSchema: true });
