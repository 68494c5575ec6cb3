import { chmodSync, existsSync, statSync } from "node:fs";
import { dirname } from "node:path";
import type { Logger } from "pino";
import type { DatabaseTarget } from "./provider.ts";

/**
 * The SQLite database holds the conversations, raw deliveries and token hashes: owner-only, like
 * data/dev-secrets.env. New files get it from the process's umask (set before anything is created,
 * inherited by the migration child, so the database, -wal, -shm and -journal files SQLite makes
 * later are 0600 and new folders 0700); files an earlier version left readable are tightened at start.
 */
export const OWNER_ONLY_UMASK = 0o077;

/** For the process shells (server, `hub`): every file and folder they create is owner-only. */
export function createOwnerOnly(): void {
  process.umask(OWNER_ONLY_UMASK);
}

/** The files SQLite keeps for one database. */
export function sqliteFiles(file: string): string[] {
  return [file, `${file}-wal`, `${file}-shm`, `${file}-journal`];
}

/**
 * chmods the database's files that others can read to 0600, and logs each. The folder is only
 * reported: it may be shared (a home folder, /srv), and changing its mode is the operator's call.
 */
export function tightenDataFiles(target: DatabaseTarget, log: Logger): void {
  if (target.provider !== "sqlite") return;
  for (const file of sqliteFiles(target.file)) {
    if (!existsSync(file)) continue;
    const mode = statSync(file).mode & 0o777;
    if ((mode & OWNER_ONLY_UMASK) === 0) continue;
    chmodSync(file, 0o600);
    log.warn({ file, was: mode.toString(8), now: "600" }, "database file was readable by others; made owner-only");
  }
  const folder = dirname(target.file);
  if (!existsSync(folder)) return;
  const folderMode = statSync(folder).mode & 0o777;
  if (folderMode & OWNER_ONLY_UMASK) {
    log.warn({ folder, mode: folderMode.toString(8) }, "the database's folder is open to others; chmod 700 it unless it is shared on purpose");
  }
}
