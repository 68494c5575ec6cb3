/** The message of an ingest-bench delivery (one inbound text per `messages` webhook, lib/payloads.ts), as the floors read it. */
export interface InboundText {
  id: string;
  from: string;
  timestamp: string;
  type: string;
  text?: { body: string };
}

/** The delivery's one message, read without validation: the floors write what the hub would, nothing checked. */
export function inboundText(body: string): InboundText {
  return (JSON.parse(body) as { entry: { changes: { value: { messages: InboundText[] } }[] }[] }).entry[0]!.changes[0]!.value.messages[0]!;
}
