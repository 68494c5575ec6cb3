import type { FakeTemplate } from "../../src/cli/fakeGraphTemplates.ts";
import type { TestApp } from "./app.ts";
import { withDb } from "./database.ts";
import type { Business } from "./mirror.ts";
import { echo } from "./mirror.ts";
import { deliver, key, now, user } from "./sending.ts";

/** What the template listing tests share: Meta-shaped templates, reads of Waba.templates, refreshTemplates. */

/** A text header and three positional body variables (non-ASCII, as Brazilian businesses write them). */
export const ORDER_UPDATE: FakeTemplate = {
  name: "order_update",
  language: "pt_BR",
  components: [
    { type: "HEADER", format: "TEXT", text: "Pedido {{1}}", example: { header_text: ["#123"] } },
    { type: "BODY", text: "Olá {{1}}, seu pedido {{2}} saiu às {{3}}. Obrigado, {{1}}!", example: { body_text: [["Ana", "#123", "10h"]] } },
    { type: "FOOTER", text: "Loja Ação" },
  ],
};
/** An image header and a named body variable. */
export const PROMO_IMAGE: FakeTemplate = {
  name: "promo_image",
  language: "en_US",
  category: "MARKETING",
  quality: "GREEN",
  components: [
    { type: "HEADER", format: "IMAGE", example: { header_handle: ["4::aW1hZ2U="] } },
    { type: "BODY", text: "Hi {{first_name}}, 20% off today", example: { body_text_named_params: [{ param_name: "first_name", example: "Ana" }] } },
    { type: "BUTTONS", buttons: [{ type: "URL", text: "Shop", url: "https://shop.example/{{1}}" }] },
  ],
};
/** A location header, and a coupon's copy-code button beside a quick reply. */
export const STORE_COUPON: FakeTemplate = {
  name: "store_coupon",
  language: "pt_BR",
  category: "MARKETING",
  components: [
    { type: "HEADER", format: "LOCATION" },
    { type: "BODY", text: "Cupom {{1}} na loja" },
    {
      type: "BUTTONS",
      buttons: [
        { type: "QUICK_REPLY", text: "Parar" },
        { type: "COPY_CODE", example: "LOJA10" },
      ],
    },
  ],
};
export const WELCOME_PENDING: FakeTemplate = {
  name: "welcome_back",
  language: "en_US",
  status: "PENDING",
  components: [{ type: "BODY", text: "Welcome back" }],
};

const FIELDS = `id templateId name language status category quality reason components listedAt parameters { headerFormat header body buttons { index kind variables } }`;
export const WABA_TEMPLATES = `query T($wabaId: String!) { waba(wabaId: $wabaId) { templatesListedAt templates { ${FIELDS} } } }`;
export const REFRESH = `mutation R($wabaId: String!) { refreshTemplates(wabaId: $wabaId) { ${FIELDS} } }`;

/** The business's WABA stored (a webhook named it), as the hub knows a WABA before it lists its templates. */
export async function known(app: TestApp, b: Business) {
  await deliver(app, echo(b, `wamid.known.${key()}`, user(), now() - 60, "number known"));
}

export async function templatesOf(app: TestApp, wabaId: string) {
  const res = await app.graphql(WABA_TEMPLATES, { wabaId });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.waba as { templatesListedAt: string | null; templates: any[] };
}

/** Makes the WABA's cached list look `minutes` old (as if listed then). */
export async function ageListing(databaseUrl: string, wabaId: string, minutes: number) {
  await withDb(databaseUrl, (db) => db.waba.update({ where: { wabaId }, data: { templatesListedAt: new Date(Date.now() - minutes * 60_000) } }));
}
