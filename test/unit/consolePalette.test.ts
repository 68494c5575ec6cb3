import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/**
 * WCAG 2.x contrast of the console's palette, computed from console/src/styles.css: 4.5:1 for text
 * (1.4.3, AA) on every surface the stylesheet draws it on, 3:1 for the focus ring and the borders
 * that identify a form control (1.4.11).
 */
const css = readFileSync(new URL("../../console/src/styles.css", import.meta.url), "utf8");
const vars = Object.fromEntries([...css.matchAll(/--([a-z-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1]!, m[2]!]));
const color = (c: string) => (c.startsWith("#") ? c : (vars[c] ?? `missing --${c}`));

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(color(a)), luminance(color(b))].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** Surfaces text is drawn on: the page, cards, the notice, the selected row and tab, the message list and bubbles. */
const SURFACES = ["bg", "card", "#e8f1fb", "#fff8f7", "#e3eefa", "#f1f3f6", "#e4f4e9"];
const TEXT: [string, string, number][] = [
  ...["ink", "muted", "accent", "bad-ink"].flatMap((fg) => SURFACES.map((bg): [string, string, number] => [fg, bg, 4.5])),
  ["#ffffff", "accent", 4.5],
  ["ok-ink", "ok-bg", 4.5],
  ["warn-ink", "warn-bg", 4.5],
  ["bad-ink", "bad-bg", 4.5],
  ["#073f78", "#e3eefa", 4.5],
  ["muted", "#eceff3", 4.5],
  // A held send's reason, in the business's (green) bubble.
  ["warn-ink", "#e4f4e9", 4.5],
];
const NON_TEXT: [string, string, number][] = [
  ...["bg", "card", "#e8f1fb"].map((bg): [string, string, number] => ["focus", bg, 3]),
  ["control-line", "card", 3],
  ["control-line", "bg", 3],
  ["accent", "#e3eefa", 3],
];

describe("console palette contrast", () => {
  it.each([...TEXT, ...NON_TEXT])("%s on %s reaches %s:1", (fg, bg, min) => {
    expect(contrast(fg, bg)).toBeGreaterThanOrEqual(min);
  });

  it("the focus ring of before (#ffbf47) would fail on white, so the check can fail", () => {
    expect(contrast("#ffbf47", "#ffffff")).toBeLessThan(3);
  });
});
