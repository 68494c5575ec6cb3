import { errorOfTheHub, type SendError } from "../domain/sendError.ts";
import { onboardingSteps, stepToRun, type OnboardingStep, type OnboardingStepName, type StoredSteps } from "../domain/onboardingSteps.ts";
import { isProvisionalPhoneNumberId } from "../domain/phoneNumbers.ts";
import { SYNC_ALREADY_REQUESTED } from "../domain/syncDeadline.ts";
import type { HubPubSub } from "../pubsub.ts";
import type { Storage } from "../storage/db.ts";
import { onboardingStepsColumn } from "../storage/columns.ts";
import type { GraphAnswer, GraphClient } from "./graphClient.ts";
import type { GraphTokens } from "./graphTokens.ts";
import { requestSync } from "./syncRequest.ts";
import { readSyncState, type SyncingNumber } from "./syncState.ts";

export interface OnboardInput {
  wabaId: string;
  phoneNumberId: string;
  /** Embedded Signup's exchangeable code; null: no exchange (the hub's GRAPH_API_TOKEN, or a token stored earlier, is used). */
  code: string | null;
}

export interface OnboardDeps {
  storage: Storage;
  pubsub: HubPubSub;
  graph: GraphClient;
  tokens: GraphTokens;
  /** The Meta app's id and secret, for the code exchange. */
  app: { id: string | undefined; secret: string | undefined };
}

/** A call the hub refuses before calling Meta; the resolver answers it with this code. */
export class OnboardingRefused extends Error {
  constructor(
    readonly code: "NOT_CONFIGURED" | "BAD_USER_INPUT",
    message: string,
  ) {
    super(message);
    this.name = "OnboardingRefused";
  }
}

/**
 * What a provider does after Embedded Signup, each step recorded as it ends (Onboarding, and the
 * syncs' SyncRequest rows), in order; the first step that fails stops the rest. Called again, it
 * runs only the steps not DONE (src/domain/onboardingSteps.ts).
 */
export async function onboardBusiness(deps: OnboardDeps, input: OnboardInput): Promise<void> {
  const { storage, tokens } = deps;
  // A code is single-use: never exchange one whose token the hub could not keep.
  if (input.code !== null && !tokens.canStore)
    throw new OnboardingRefused("NOT_CONFIGURED", "a code was given but BUSINESS_TOKEN_KEY is not set: the hub never stores a business token in clear");
  if (input.code !== null && (!deps.app.id || !deps.app.secret))
    throw new OnboardingRefused("NOT_CONFIGURED", "a code was given but WHATSAPP_APP_ID (or WHATSAPP_APP_SECRET) is not set");
  if (input.code === null && (await tokens.tokenFor(input.wabaId)) === undefined) {
    throw new OnboardingRefused("NOT_CONFIGURED", "no code, no business token stored for this WABA and no GRAPH_API_TOKEN: the hub cannot call Meta");
  }
  const number = await knowNumber(storage, input);
  const stored = await readStoredSteps(storage, number.phoneNumberId);
  const state = await readSyncState(storage.prisma, number);
  const steps = onboardingSteps(stored, { contacts: state.attempts.CONTACTS, history: state.attempts.HISTORY }, state.onboardedAt);

  for (const step of steps) {
    if (!stepToRun(step, input.code !== null)) {
      if (step.name === "EXCHANGE_CODE" && step.state !== "DONE") await record(storage, number, stored, step.name, "SKIPPED", null);
      continue;
    }
    const error = await run(step, deps, number, input);
    if (error) break;
  }
}

/** Runs one step; returns its error (the step recorded FAILED), or null. */
async function run(step: OnboardingStep, deps: OnboardDeps, number: SyncingNumber, input: OnboardInput): Promise<SendError | null> {
  const { storage, graph, pubsub } = deps;
  switch (step.name) {
    case "EXCHANGE_CODE": {
      const answer = await graph.getAnonymous("oauth/access_token", {
        client_id: deps.app.id ?? "",
        client_secret: deps.app.secret ?? "",
        code: input.code ?? "",
      });
      const token = answer.kind === "OK" && typeof answer.json.access_token === "string" ? answer.json.access_token : null;
      const error = token ? null : errorOf(answer, "Meta's answer has no access_token");
      if (token) await deps.tokens.store(input.wabaId, token);
      await record(storage, number, await readStoredSteps(storage, number.phoneNumberId), step.name, error ? "FAILED" : "DONE", error);
      return error;
    }
    case "SUBSCRIBE_APP": {
      const answer = await graph.post(`${input.wabaId}/subscribed_apps`, {});
      const error = answer.kind === "OK" && answer.json.success !== false ? null : errorOf(answer, "Meta answered success: false");
      await record(storage, number, await readStoredSteps(storage, number.phoneNumberId), step.name, error ? "FAILED" : "DONE", error);
      return error;
    }
    case "CONTACTS_SYNC":
    case "HISTORY_SYNC": {
      const outcome = await requestSync(storage, graph, pubsub, number, step.name === "CONTACTS_SYNC" ? "CONTACTS" : "HISTORY");
      // Requested already (by an earlier call that got no answer, or another system): Meta holds it.
      return outcome.accepted || outcome.error.code === SYNC_ALREADY_REQUESTED ? null : outcome.error;
    }
  }
}

function errorOf(answer: GraphAnswer, okButWrong: string): SendError {
  switch (answer.kind) {
    case "OK":
      return errorOfTheHub(okButWrong);
    case "META_ERROR":
      return answer.error;
    case "NOT_SENT":
      return errorOfTheHub(`the request did not reach Meta (${answer.detail})`);
    case "NO_ANSWER":
      return errorOfTheHub(`Meta did not answer (${answer.detail})`);
  }
}

/** The number as onboarding needs it, stored if the hub did not know it yet (onboarding usually comes before its first webhook). */
async function knowNumber(storage: Storage, input: OnboardInput): Promise<SyncingNumber> {
  if (isProvisionalPhoneNumberId(input.phoneNumberId)) throw new OnboardingRefused("BAD_USER_INPUT", "phoneNumberId: Meta's phone_number_id is expected");
  const number = await storage.prisma.phoneNumber.upsert({
    where: { phoneNumberId: input.phoneNumberId },
    create: { phoneNumberId: input.phoneNumberId, wabaId: input.wabaId },
    update: {},
    select: { phoneNumberId: true, wabaId: true, displayPhoneNumber: true, createdAt: true },
  });
  if (number.wabaId !== input.wabaId) throw new OnboardingRefused("BAD_USER_INPUT", `phoneNumberId: ${input.phoneNumberId} is known under another WABA`);
  return number;
}

async function readStoredSteps(storage: Storage, phoneNumberId: string): Promise<StoredSteps> {
  const row = await storage.prisma.onboarding.findUnique({ where: { phoneNumberId }, select: { steps: true } });
  return row ? onboardingStepsColumn.read(row.steps) : {};
}

async function record(
  storage: Storage,
  number: SyncingNumber,
  stored: StoredSteps,
  name: Exclude<OnboardingStepName, "CONTACTS_SYNC" | "HISTORY_SYNC">,
  state: "DONE" | "FAILED" | "SKIPPED",
  error: SendError | null,
): Promise<void> {
  const steps = onboardingStepsColumn.write({ ...stored, [name]: { state, at: new Date(), error } });
  await storage.prisma.onboarding.upsert({
    where: { phoneNumberId: number.phoneNumberId },
    create: { phoneNumberId: number.phoneNumberId, wabaId: number.wabaId, steps },
    update: { wabaId: number.wabaId, steps },
  });
}

/** The number's four steps as they stand (what `hub onboard` prints; GraphQL reads them through Onboarding.steps). */
export async function readOnboardingSteps(storage: Storage, phoneNumberId: string): Promise<OnboardingStep[]> {
  const number = await storage.prisma.phoneNumber.findUnique({
    where: { phoneNumberId },
    select: { phoneNumberId: true, wabaId: true, displayPhoneNumber: true, createdAt: true },
  });
  if (!number) return [];
  const [stored, state] = await Promise.all([readStoredSteps(storage, phoneNumberId), readSyncState(storage.prisma, number)]);
  return onboardingSteps(stored, { contacts: state.attempts.CONTACTS, history: state.attempts.HISTORY }, state.onboardedAt);
}
