/** Webhook bodies as Meta sends them: UTF-8 JSON with `/` escaped as `\/`, signed over the \uXXXX-escaped form. */
import { createHmac } from "node:crypto";
import { escapeLikeMeta, signLikeMeta } from "../../src/webhooks/signature.ts";

export const WABA = "102290129340398";
export const PHONE_ID = "106540352242922";
export const DISPLAY = "15550783881";

/** JSON as Meta serializes it (non-ASCII stays UTF-8, `/` becomes `\/`). */
export function metaJson(payload: unknown): string {
  return JSON.stringify(payload).replace(/\//g, "\\/");
}

export function signed(payload: unknown, secret: string): { body: Buffer; signature: string } {
  const text = metaJson(payload);
  return { body: Buffer.from(text, "utf8"), signature: signLikeMeta(text, secret) };
}

/** POSTs `payload` to a hub's webhook route as Meta would: Meta-style bytes, signed with `secret`. */
export function deliverSigned(hubUrl: string, payload: unknown, secret: string): Promise<Response> {
  const { body, signature } = signed(payload, secret);
  return fetch(`${hubUrl}/webhooks/whatsapp`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Hub-Signature-256": signature },
    body: new Uint8Array(body),
  });
}

const SENTENCE =
  "Olá! Gostaria de confirmar o pedido nº 4821 — entrega amanhã às 14h? Pagamento via Pix ✓ 😀 " +
  "Veja https://loja.example.com.br/pedidos/4821/status e me avise. ";

/** A text body of roughly `bytes` UTF-8 bytes (non-ASCII, an emoji and URLs with slashes). */
function textOf(bytes: number): string {
  let text = "";
  while (Buffer.byteLength(text + SENTENCE) <= bytes) text += SENTENCE;
  return text.trim();
}

const MARK = { wamid: "@@W@@", from: "@@F@@", ts: "@@T@@" } as const;

/** One inbound text message in a `messages` webhook, about 2 KB on the wire. */
export function inboundMessage(wamid: string, from: string, timestamp: string, textBytes = 1550) {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: WABA,
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: DISPLAY, phone_number_id: PHONE_ID },
              contacts: [{ profile: { name: "João Brandão Conceição" }, wa_id: from }],
              messages: [{ from, id: wamid, timestamp, type: "text", text: { preview_url: true, body: textOf(textBytes) } }],
            },
          },
        ],
      },
    ],
  };
}

/**
 * Fast per-request signed bodies: the JSON is built once with markers where the wamid, sender and
 * time go; each request concatenates the pieces and signs the escaped pieces (the values are ASCII
 * without `/`, so they are the same in both forms).
 */
export function messageFactory(secret: string, users = 1000) {
  const text = metaJson(inboundMessage(MARK.wamid, MARK.from, MARK.ts));
  const pieces = text.split(/(@@[WFT]@@)/);
  const literal = pieces.map((p) => (/^@@[WFT]@@$/.test(p) ? null : { raw: Buffer.from(p, "utf8"), escaped: escapeLikeMeta(p) }));
  return (wamid: string, n: number): { body: Buffer; signature: string } => {
    const from = String(5511988000000 + (n % users));
    const ts = String(Math.floor(Date.now() / 1000));
    const parts: Buffer[] = [];
    const hmac = createHmac("sha256", secret);
    pieces.forEach((p, i) => {
      const lit = literal[i];
      if (lit) {
        parts.push(lit.raw);
        hmac.update(lit.escaped);
      } else {
        const value = Buffer.from(p === MARK.wamid ? wamid : p === MARK.from ? from : ts, "ascii");
        parts.push(value);
        hmac.update(value);
      }
    });
    return { body: Buffer.concat(parts), signature: "sha256=" + hmac.digest("hex") };
  };
}

/** PARTNER_REMOVED for its own WABA: opens one new disconnection. */
export function partnerRemoved(wabaId: string, time: number) {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "2949482758682047",
        time,
        changes: [
          {
            field: "account_update",
            value: {
              event: "PARTNER_REMOVED",
              waba_info: { waba_id: wabaId, owner_business_id: "2329417887457253" },
              disconnection_info: { reason: "PRIMARY_INACTIVITY", initiated_by: "SYSTEM" },
            },
          },
        ],
      },
    ],
  };
}
