import { describe, expect, it } from "vitest";
import { applyReaction, visibleReactions, type StoredReaction } from "../../src/domain/reactions.ts";

const at = (seconds: number) => new Date(seconds * 1000);
const user = (emoji: string | null, wamid: string, seconds: number) => ({ reactor: "USER" as const, emoji, wamid, timestamp: at(seconds) });
const business = (emoji: string | null, wamid: string, seconds: number) => ({ reactor: "BUSINESS" as const, emoji, wamid, timestamp: at(seconds) });

/** Applies reactions in the given order to a message without any. */
function applyAll(reactions: Parameters<typeof applyReaction>[1][]): StoredReaction[] {
  let stored: StoredReaction[] = [];
  for (const r of reactions) stored = applyReaction(stored, r)?.reactions ?? stored;
  return stored;
}

describe("reaction rules", () => {
  it("a reaction on a message without any is shown", () => {
    expect(applyReaction([], user("❤️", "w1", 100))).toEqual({
      reactions: [{ reactor: "USER", emoji: "❤️", at: at(100).toISOString(), wamid: "w1" }],
      shows: true,
    });
  });

  it("the same reaction again changes nothing", () => {
    const once = applyAll([user("❤️", "w1", 100)]);
    expect(applyReaction(once, user("❤️", "w1", 100))).toBeNull();
  });

  it("the reactor's later reaction wins whichever arrives first", () => {
    const newer = user("👍", "w2", 200);
    const older = user("❤️", "w1", 100);
    expect(applyAll([older, newer])).toEqual(applyAll([newer, older]));
    expect(visibleReactions(applyAll([newer, older])).map((r) => r.emoji)).toEqual(["👍"]);
  });

  it("of two reactions in the same second, the greater wamid wins", () => {
    expect(visibleReactions(applyAll([user("👍", "w9", 100), user("❤️", "w1", 100)])).map((r) => r.emoji)).toEqual(["👍"]);
  });

  it("a removal hides the reaction and keeps an older one that arrives later from coming back", () => {
    const removed = applyAll([user(null, "w2", 200), user("❤️", "w1", 100)]);
    expect(visibleReactions(removed)).toEqual([]);
    expect(removed).toEqual([{ reactor: "USER", emoji: null, at: at(200).toISOString(), wamid: "w2" }]);
  });

  it("a removal over nothing shown is stored but does not show", () => {
    expect(applyReaction([], user(null, "w1", 100))?.shows).toBe(false);
  });

  it("the user's and the business's reactions are kept side by side, the user's first", () => {
    const both = applyAll([business("🙏", "b1", 100), user("😂", "u1", 90)]);
    expect(visibleReactions(both).map((r) => [r.reactor, r.emoji])).toEqual([
      ["USER", "😂"],
      ["BUSINESS", "🙏"],
    ]);
  });
});
