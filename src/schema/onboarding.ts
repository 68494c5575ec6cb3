import { ONBOARDING_STEPS, STEP_STATES, type OnboardingStep } from "../domain/onboardingSteps.ts";
import { onboardBusiness, stepsOf } from "../resolvers/onboarding.ts";
import { builder } from "./builder.ts";
import { LIST_CAPS, capped, firstOf } from "./listBounds.ts";
import { MetaErrorRef } from "./message.ts";

const OnboardingStepNameEnum = builder.enumType("OnboardingStepName", {
  description:
    "In order: EXCHANGE_CODE (Embedded Signup's code for the business's token), SUBSCRIBE_APP (POST /{waba-id}/subscribed_apps), " +
    "CONTACTS_SYNC and HISTORY_SYNC (POST /{phone-number-id}/smb_app_data).",
  values: ONBOARDING_STEPS,
});

const OnboardingStepStateEnum = builder.enumType("OnboardingStepState", {
  description: "DONE; FAILED (see error; the steps after it wait); PENDING: not tried yet, or done for an earlier signup; SKIPPED: no code was given.",
  values: STEP_STATES,
});

const OnboardingStepRef = builder.objectRef<OnboardingStep>("OnboardingStep").implement({
  fields: (t) => ({
    name: t.field({ type: OnboardingStepNameEnum, resolve: (s) => s.name }),
    state: t.field({ type: OnboardingStepStateEnum, resolve: (s) => s.state }),
    at: t.expose("at", { type: "DateTime", nullable: true, description: "When the step was last tried; null while PENDING." }),
    error: t.field({
      type: MetaErrorRef,
      nullable: true,
      description: "Meta's error (or the hub's, with no code, when Meta did not answer). A DONE sync may keep 2593107: Meta had it already.",
      resolve: (s) => s.error,
    }),
  }),
});

builder.prismaObject("Onboarding", {
  description: "What onboardBusiness did for a number, step by step (docs/connect-meta.md). The business's token itself is never shown.",
  fields: (t) => ({
    wabaId: t.exposeString("wabaId"),
    phoneNumberId: t.exposeString("phoneNumberId"),
    steps: t.field({
      type: [OnboardingStepRef],
      ...capped(LIST_CAPS.onboardingSteps, "The four steps, in order."),
      select: { steps: true, phoneNumber: { select: { phoneNumberId: true, wabaId: true, displayPhoneNumber: true, createdAt: true, syncRequests: true } } },
      resolve: async (o, _args, ctx) => firstOf(LIST_CAPS.onboardingSteps, await stepsOf(o, ctx)),
    }),
  }),
});

builder.prismaObjectField("PhoneNumber", "onboarding", (t) =>
  t.relation("onboarding", { nullable: true, description: "What onboardBusiness did for the number; null when it never ran for it." }),
);

builder.mutationField("onboardBusiness", (t) =>
  t.prismaField({
    type: "Onboarding",
    description:
      "What a provider does after Embedded Signup: exchanges `code` for the business's token (kept encrypted; never returned), subscribes the app " +
      "to the WABA, then requests the contact sync and the history sync. Each step is recorded; the first that fails stops the rest, and calling " +
      "again runs only the steps not DONE. Needs the admin power and a token that sees the WABA. Errors: FORBIDDEN, BAD_USER_INPUT, NOT_CONFIGURED " +
      "(a code without BUSINESS_TOKEN_KEY or WHATSAPP_APP_ID; no code and no token to call Meta with). See docs/connect-meta.md.",
    args: {
      wabaId: t.arg.string({ required: true }),
      phoneNumberId: t.arg.string({ required: true }),
      code: t.arg.string({ description: "Embedded Signup's exchangeable code; without it the hub's GRAPH_API_TOKEN (or a token stored earlier) is used." }),
    },
    resolve: (query, _root, args, ctx) => onboardBusiness(query, args, ctx),
  }),
);
