import { describe, expect, it } from "vitest";
import { listingWins, nextCursor, parametersOf, readListedTemplate } from "../../src/domain/templateListing.ts";

describe("a listed template's parameters", () => {
  it("are a text header's and the body's positional variables, in number order, each once", () => {
    const p = parametersOf([
      { type: "HEADER", format: "TEXT", text: "Pedido {{1}}" },
      { type: "BODY", text: "{{2}} chega às {{3}}, {{1}}. Até logo, {{1}}!" },
    ]);
    expect(p).toEqual({ headerFormat: "TEXT", header: ["1"], body: ["1", "2", "3"], buttons: [] });
  });

  it("are named variables in order of appearance, and a media header's format without variables", () => {
    const p = parametersOf([
      { type: "HEADER", format: "IMAGE", example: { header_handle: ["4::x"] } },
      { type: "BODY", text: "Hi {{first_name}}, your code {{ code }} expires soon, {{first_name}}" },
    ]);
    expect(p).toEqual({ headerFormat: "IMAGE", header: [], body: ["first_name", "code"], buttons: [] });
  });

  it("are none for a template without header or variables, and OTHER for a header format Meta adds later", () => {
    expect(parametersOf([{ type: "BODY", text: "Obrigado!" }])).toEqual({ headerFormat: null, header: [], body: [], buttons: [] });
    expect(parametersOf([{ type: "HEADER", format: "PRODUCT" }]).headerFormat).toBe("OTHER");
  });

  it("include a URL button's variable and a copy-code button by their index; quick replies and fixed URLs take nothing", () => {
    const p = parametersOf([
      { type: "BODY", text: "Use {{1}}" },
      {
        type: "BUTTONS",
        buttons: [
          { type: "QUICK_REPLY", text: "Stop" },
          { type: "URL", text: "Track", url: "https://shop.example/track/{{1}}" },
          { type: "URL", text: "Home", url: "https://shop.example/" },
          { type: "COPY_CODE", example: "SAVE25" },
          "not a button",
        ],
      },
    ]);
    expect(p.buttons).toEqual([
      { index: 1, kind: "URL", variables: ["1"] },
      { index: 3, kind: "COPY_CODE", variables: [] },
    ]);
  });
});

describe("reading Meta's list", () => {
  it("takes a numeric id as a string and the quality score's score", () => {
    expect(readListedTemplate({ id: 123, name: "a", language: "en", status: "APPROVED", quality_score: { score: "GREEN", date: 1 } })).toMatchObject({
      templateId: "123",
      quality: "GREEN",
      components: [],
    });
  });

  it("skips an entry without a name or language rather than the page", () => {
    expect(readListedTemplate({ id: "1", language: "en" })).toBeNull();
    expect(readListedTemplate("not an object")).toBeNull();
  });

  it("follows the after cursor only while paging.next is present", () => {
    expect(nextCursor({ data: [], paging: { cursors: { after: "QVFI" }, next: "https://graph.facebook.com/…" } })).toBe("QVFI");
    expect(nextCursor({ data: [], paging: { cursors: { after: "QVFI" } } })).toBeNull();
  });
});

describe("the merge rule", () => {
  const at = (s: number) => new Date(s * 1000);
  it("gives a fact to the listing when the hub asked after Meta's latest event carrying it, or no event carries it", () => {
    expect(listingWins(at(100), at(99))).toBe(true);
    expect(listingWins(at(100), null)).toBe(true);
  });

  it("keeps an event Meta timed after the hub asked, and a template never listed", () => {
    expect(listingWins(at(100), at(101))).toBe(false);
    expect(listingWins(null, at(1))).toBe(false);
  });
});
