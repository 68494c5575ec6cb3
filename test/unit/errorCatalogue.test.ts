import { readFileSync, readdirSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ERRORS } from "../../src/errors.ts";

/** The rows of docs/errors.md's table: code → [status, meaning]. */
function documented(): Map<string, [number, string]> {
  const rows = readFileSync("docs/errors.md", "utf8").matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \| (.+) \|$/gm);
  return new Map([...rows].map((m) => [m[1]!, [Number(m[2]), m[3]!]]));
}

describe("the error catalogue", () => {
  it("is documented in docs/errors.md, code by code, with the same status and meaning", () => {
    expect(documented()).toEqual(new Map(Object.entries(ERRORS).map(([code, e]) => [code, [e.status, e.meaning]])));
  });

  it("is the only way the source makes a GraphQL error with a code, or an HTTP error answer", () => {
    // A code written into extensions by hand, or an error status sent without one, would escape the
    // catalogue (and its documentation): hubError and sendError are the ways in.
    const handMade = /extensions: \{[^}]*\bcode: |createGraphQLError\(|sendJson\(res, [45]\d\d|writeHead\([45]\d\d/;
    const offenders = listSources("src").filter((file) => file !== "src/errors.ts" && handMade.test(readFileSync(file, "utf8")));
    expect(offenders).toEqual([]);
  });
});

function listSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (name === "generated") return [];
    return statSync(path).isDirectory() ? listSources(path) : path.endsWith(".ts") ? [path] : [];
  });
}
