import type { Database } from "better-sqlite3";

/**
 * A user's text as a literal inside a LIKE pattern (what Prisma's `contains`, `startsWith` and
 * `endsWith` build): `%`, `_` and the escape character itself lose their meaning. Prisma passes
 * the text through unescaped, so `threads(search: "%")` matched every thread and "Rob_rt" matched
 * "Robert" (issue #9). The escape character is the backslash on both databases: PostgreSQL's
 * default, and SQLite's once sqliteLikeWithBackslashEscape is installed.
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, "\\$&");
}

const SYNTAX = /[\^$\\.*+?()[\]{}|/]/g;
const cache = new Map<string, RegExp>();
const CACHE_SIZE = 256;

/** SQLite's LIKE (ASCII case-insensitive, `_` one character) with an escape character. */
function likeRegExp(pattern: string, escape: string): RegExp {
  const key = escape + "\0" + pattern;
  let re = cache.get(key);
  if (re) return re;
  let source = "^";
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === escape && i + 1 < chars.length) source += chars[++i]!.replace(SYNTAX, "\\$&");
    else if (c === "%") source += "[^]*";
    else if (c === "_") source += "[^]";
    else source += c.replace(SYNTAX, "\\$&");
  }
  re = new RegExp(source + "$", "iu");
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, re);
  return re;
}

/**
 * SQLite has no escape character in LIKE unless the SQL says `ESCAPE`, which Prisma's SQL never
 * does, so an escaped `\%` could not be written there. Redefining like() on the connection (SQLite
 * calls it for every `x LIKE y`, https://sqlite.org/lang_corefunc.html#like) gives SQLite
 * PostgreSQL's default: the backslash escapes. Matching is then done in JavaScript, row by row:
 * fine for searches over threads and contacts, and nothing in the hub relies on LIKE using an index.
 */
export function sqliteLikeWithBackslashEscape(db: Database): void {
  const like = (pattern: unknown, value: unknown, escape: unknown = "\\") => {
    if (pattern === null || value === null || escape === null) return null;
    return likeRegExp(sqlText(pattern), sqlText(escape)).test(sqlText(value)) ? 1 : 0;
  };
  db.function("like", { deterministic: true }, (pattern: unknown, value: unknown) => like(pattern, value));
  db.function("like", { deterministic: true }, (pattern: unknown, value: unknown, escape: unknown) => like(pattern, value, escape));
}

/** A value SQLite passes to a function (text, number, bigint or blob), as the text LIKE compares. */
function sqlText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  return Buffer.isBuffer(value) ? value.toString("utf8") : "";
}
