import type { IncomingMessage } from "node:http";

/** What the router needs of a request target, read without anything that can throw. */
export interface RequestTarget {
  pathname: string;
  searchParams: URLSearchParams;
  /** The target in origin-form (path and query), what graphql-yoga is handed. */
  originForm: string;
}

// absolute-form ("GET http://host/path"), which HTTP/1.1 allows and proxies send: the authority
// is dropped, as routing goes by path only.
const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/**
 * Splits a raw request target into path and query by hand. `new URL(req.url, base)` throws on
 * targets such as `//[` or `http://[`, and one throw in the request listener used to end the
 * process; splitting strings and URLSearchParams cannot throw. A fragment (never sent by a
 * browser, but an attacker can) is kept in originForm: graphql-yoga reads it, and the token check
 * must see what yoga will see (see requireToken.ts).
 */
export function parseRequestTarget(raw: string | undefined): RequestTarget {
  let target = raw ?? "/";
  const absolute = ABSOLUTE_FORM.exec(target);
  if (absolute) target = target.slice(absolute[0].length);
  if (!target.startsWith("/")) target = "/" + target;
  // "//host/path" would be read as a host by URL parsers downstream; collapse leading slashes.
  target = target.replace(/^\/{2,}/, "/");
  const end = target.search(/[?#]/);
  const pathname = end < 0 ? target : target.slice(0, end);
  const queryStart = target.indexOf("?");
  const fragmentStart = target.indexOf("#");
  const query =
    queryStart < 0 || (fragmentStart >= 0 && fragmentStart < queryStart) ? "" : target.slice(queryStart + 1, fragmentStart < 0 ? undefined : fragmentStart);
  return { pathname, searchParams: new URLSearchParams(query), originForm: target };
}

/**
 * True when graphql-yoga (through @whatwg-node/server, which builds `http://<Host><target>`) can
 * make a URL of this request. `Host: [` cannot be, and yoga answered it with a 500 carrying a stack.
 */
export function hasParsableUrl(req: IncomingMessage, originForm: string): boolean {
  const host = req.headers.host ?? "localhost";
  return URL.canParse(`http://${host}${originForm}`);
}
