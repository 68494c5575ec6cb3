import { describe, expect, it } from "vitest";
import { fixture, fixtureNames } from "../helpers/meta.ts";
import { FIXTURE_BUSINESS, onlyChange, parse } from "../helpers/parsers.ts";

// Every thread-mirror fixture goes through the parser of its field.

describe("every thread-mirror fixture", () => {
  const names = ["messages", "history", "smb_message_echoes", "smb_app_state_sync"].flatMap(fixtureNames);

  it.each(names)("%s is parsed by the parser of its field into at least one event", (name) => {
    const change = onlyChange(fixture(name));
    expect(name.startsWith(`${change.field}/`)).toBe(true);
    const events = parse(fixture(name));
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(event.business).toEqual(FIXTURE_BUSINESS);
  });
});
