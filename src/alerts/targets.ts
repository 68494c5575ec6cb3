import { randomUUID } from "node:crypto";
import { ALL_ALERT_EVENTS, type AlertEventType, type AlertFormat } from "../domain/alertEvents.ts";
import type { Db } from "../storage/client.ts";
import { alertFormatColumn, alertTargetEventsColumn } from "../storage/columns.ts";
import { newAlertSecret, storeAlertSecret } from "./targetSecret.ts";

export interface NewAlertTarget {
  url: string;
  events: AlertEventType[] | typeof ALL_ALERT_EVENTS;
  format: AlertFormat;
  name?: string | undefined;
}

export interface AlertTargetSummary {
  id: string;
  name: string;
  url: string;
  format: AlertFormat;
  events: string[];
  createdAt: Date;
}

/** The URL a target may have: http or https, nothing else (a file: or data: URL is never fetched). */
export function alertTargetUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`expected an http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`expected an http(s) URL, got a ${url.protocol} one`);
  return url;
}

/** Stores a target and returns it with its signing secret, which is shown this once. */
export async function addAlertTarget(db: Db, target: NewAlertTarget, key: Buffer | undefined): Promise<{ target: AlertTargetSummary; secret: string }> {
  const url = alertTargetUrl(target.url);
  const id = randomUUID();
  const secret = newAlertSecret();
  const name = target.name ?? `${url.host}-${id.slice(0, 8)}`;
  if (await db.alertTarget.findUnique({ where: { name }, select: { id: true } }))
    throw new Error(`an alert target named ${name} exists already (see hub alerts list)`);
  const row = await db.alertTarget.create({
    data: {
      id,
      name,
      url: url.href,
      format: alertFormatColumn.write(target.format),
      events: alertTargetEventsColumn.write(target.events === ALL_ALERT_EVENTS ? [ALL_ALERT_EVENTS] : target.events),
      secret: storeAlertSecret(key, secret, id),
    },
  });
  return { target: summary(row), secret };
}

export function summary(row: { id: string; name: string; url: string; format: string; events: unknown; createdAt: Date }): AlertTargetSummary {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    format: alertFormatColumn.read(row.format),
    events: alertTargetEventsColumn.read(row.events),
    createdAt: row.createdAt,
  };
}

export async function listAlertTargets(db: Db): Promise<AlertTargetSummary[]> {
  return (await db.alertTarget.findMany({ orderBy: { createdAt: "asc" } })).map(summary);
}

/** Removes a target (by id or name) and its attempts; false when there is none. */
export async function removeAlertTarget(db: Db, idOrName: string): Promise<boolean> {
  const { count } = await db.alertTarget.deleteMany({ where: { OR: [{ id: idOrName }, { name: idOrName }] } });
  return count > 0;
}
