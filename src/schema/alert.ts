import { ALERT_FORMATS } from "../domain/alertEvents.ts";
import { ALERT_ATTEMPT_STATES, type AlertTry } from "../domain/alertRetry.ts";
import { alertAttemptStateColumn, alertDataColumn, alertFormatColumn, alertTargetEventsColumn, alertTriesColumn } from "../storage/columns.ts";
import { alertAttemptCount, alertAttempts, alertTargets, replayAlert } from "../resolvers/alerts.ts";
import { builder } from "./builder.ts";
import { LIST_CAPS, capped, lastOf } from "./listBounds.ts";

const AlertFormatEnum = builder.enumType("AlertFormat", {
  description: "JSON: the signed generic body. SLACK: an incoming Slack webhook's { text, blocks } (docs/alerts.md).",
  values: ALERT_FORMATS,
});

const AlertAttemptStateEnum = builder.enumType("AlertAttemptState", {
  description: "PENDING: posting, or waiting for its next try. DELIVERED: a 2xx came back. FAILED: retries ran out (ALERT_RETRY_MAX_MINUTES); replay it.",
  values: ALERT_ATTEMPT_STATES,
});

const AlertTryRef = builder.objectRef<AlertTry>("AlertTry").implement({
  description: "One POST of an attempt.",
  fields: (t) => ({
    at: t.field({ type: "DateTime", resolve: (r) => new Date(r.at) }),
    status: t.exposeInt("status", { nullable: true, description: "The receiver's HTTP status; null when none came (see error)." }),
    error: t.exposeString("error", { nullable: true, description: "The network error (refused, timed out, reset) when no status came." }),
    durationMs: t.exposeInt("durationMs"),
  }),
});

builder.prismaObject("AlertTarget", {
  description: "An HTTP endpoint the hub posts alerts to (hub alerts add). Its signing secret is never shown again.",
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    url: t.exposeString("url"),
    format: t.field({ type: AlertFormatEnum, resolve: (r) => alertFormatColumn.read(r.format) }),
    events: t.stringList({
      ...capped(20, 'The event names it gets, or ["*"] for all.'),
      resolve: (r) => alertTargetEventsColumn.read(r.events).slice(0, 20),
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

builder.prismaObject("AlertEvent", {
  description: "Something worth an alert, stored once (docs/alerts.md lists the types and their data).",
  fields: (t) => ({
    id: t.exposeID("id"),
    key: t.exposeString("key", { description: "What it is about, e.g. disconnection.opened:<id>: the same event is never stored twice." }),
    type: t.exposeString("type", { description: "e.g. disconnection.opened, inactivity.warn." }),
    wabaId: t.exposeString("wabaId", { nullable: true }),
    occurredAt: t.expose("occurredAt", { type: "DateTime" }),
    data: t.field({ type: "JSON", description: "The event's data, as posted.", resolve: (r) => alertDataColumn.read(r.data) }),
  }),
});

builder.prismaObject("AlertAttempt", {
  description: "One event to one target: posted, retried with backoff until delivered or given up. A replay is a new attempt.",
  fields: (t) => ({
    id: t.exposeID("id"),
    state: t.field({ type: AlertAttemptStateEnum, resolve: (r) => alertAttemptStateColumn.read(r.state) }),
    event: t.relation("event"),
    target: t.relation("target"),
    replayOf: t.exposeID("replayOf", { nullable: true, description: "The attempt this one replays." }),
    tries: t.field({
      type: [AlertTryRef],
      ...capped(LIST_CAPS.alertTries, "Each POST, oldest first; the latest kept."),
      resolve: (r) => lastOf(LIST_CAPS.alertTries, alertTriesColumn.read(r.tries)),
    }),
    nextAttemptAt: t.expose("nextAttemptAt", { type: "DateTime", description: "PENDING: when it is tried next." }),
    giveUpAt: t.expose("giveUpAt", { type: "DateTime" }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

builder.queryField("alertTargets", (t) =>
  t.prismaField({
    type: ["AlertTarget"],
    ...capped(LIST_CAPS.alertTargets, "Where alerts go, oldest first. Needs a token for all WABAs with the admin power."),
    resolve: (query, _root, _args, ctx) => alertTargets(query, ctx, LIST_CAPS.alertTargets),
  }),
);

builder.queryField("alertAttempts", (t) =>
  t.prismaConnection({
    type: "AlertAttempt",
    cursor: "id",
    description: "Alert attempts, newest first, with each POST's outcome. Needs a token for all WABAs with the admin power.",
    args: {
      targetId: t.arg.id({ required: false }),
      failedOnly: t.arg.boolean({ required: false, description: "Only the attempts that gave up (FAILED)." }),
    },
    resolve: (query, _root, args, ctx) => alertAttempts(query, args, ctx),
    totalCount: (_parent, args, ctx) => alertAttemptCount(args, ctx),
  }),
);

builder.mutationField("replayAlert", (t) =>
  t.prismaField({
    type: "AlertAttempt",
    description:
      "Posts an attempt's event to its target again (as `hub alerts replay`): a new attempt, due now, retried afresh; the old one stays as it ended. Needs a token for all WABAs with the admin power.",
    args: { attemptId: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => replayAlert(query, String(args.attemptId), ctx),
  }),
);
