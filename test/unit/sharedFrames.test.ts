/**
 * A shared result serialised once: the frame a socket sends must be byte for byte the one graphql-ws
 * would have written itself, and no other frame may be touched by the handover.
 */
import { describe, expect, it } from "vitest";
import { GraphQLError, GraphQLSchema, parse, type ExecutionResult } from "graphql";
import { GRAPHQL_TRANSPORT_WS_PROTOCOL, MessageType, makeServer, stringifyMessage, type FormattedExecutionResult } from "graphql-ws";
import { expandRawPayload, nextFrame, rawPayloadOf, rawPayloadReplacer } from "../../src/server/sharedFrames.ts";

/** What graphql-ws sends for a result when onNext answers nothing (its emit.next). */
function graphqlWsFrame(id: string, result: ExecutionResult): string {
  const { errors, ...withoutErrors } = result;
  return stringifyMessage({ id, type: MessageType.Next, payload: { ...withoutErrors, ...(errors ? { errors: errors.map((e) => e.toJSON()) } : {}) } });
}

/** What it sends with our onNext and replacer, as the socket expands it. */
function sharedFrame(id: string, result: ExecutionResult): string {
  // The cast graphqlWs.ts makes: graphql-ws only serialises onNext's answer.
  return expandRawPayload(stringifyMessage({ id, type: MessageType.Next, payload: rawPayloadOf(result) as never }, rawPayloadReplacer));
}

const result: ExecutionResult = {
  data: { messages: { id: "m1", text: 'quotes " and \\ and \u0000 and ünïcode', status: null, nested: [{ a: 1 }] } },
  extensions: { cost: 3 },
};
const withErrors: ExecutionResult = { data: null, errors: [new GraphQLError("Not allowed.", { extensions: { code: "FORBIDDEN" } })] };

describe("shared frames", () => {
  it("writes the same frame as graphql-ws, with and without errors", () => {
    for (const r of [result, withErrors]) expect(sharedFrame("a-1", r)).toBe(graphqlWsFrame("a-1", r));
  });

  it("writes the same frame as graphql-ws when it sends one straight to an idle socket", () => {
    for (const r of [result, withErrors]) expect(nextFrame('id "quoted"', rawPayloadOf(r))).toBe(graphqlWsFrame('id "quoted"', r));
  });

  it("serialises a result once, however many subscribers it goes to", () => {
    expect(rawPayloadOf(result)).toBe(rawPayloadOf(result));
    expect(sharedFrame("x", result)).toBe(graphqlWsFrame("x", result));
    expect(sharedFrame("y", result)).toBe(graphqlWsFrame("y", result));
  });

  it("leaves every other frame as it is, even after a handover that was never sent", () => {
    // Serialised for a socket that closed before the send: its text stays behind.
    stringifyMessage({ id: "gone", type: MessageType.Next, payload: rawPayloadOf(result) as never }, rawPayloadReplacer);
    const complete = stringifyMessage({ id: "c", type: MessageType.Complete }, rawPayloadReplacer);
    expect(expandRawPayload(complete)).toBe(complete);
    // A client's own data that happens to hold the placeholder's text is data, not a placeholder.
    const sneaky: ExecutionResult = { data: { text: "\u0000raw-payload" } };
    expect(expandRawPayload(stringifyMessage({ id: "s", type: MessageType.Next, payload: sneaky }, rawPayloadReplacer))).toBe(graphqlWsFrame("s", sneaky));
    expect(expandRawPayload('{"type":"pong"}')).toBe('{"type":"pong"}');
  });

  it("goes through graphql-ws's own send path (a busy socket's) with the text put back", async () => {
    // The contract the handover relies on: graphql-ws serialises with the replacer and sends at once.
    // No schema: graphql-ws's subscribe option stands in for the execution (the shared source's results).
    const result: ExecutionResult = { data: { greeting: 'hello "there"' } };
    const server = makeServer({
      onSubscribe: () => ({ schema: new GraphQLSchema({}), document: parse("subscription { greeting }") }),
      subscribe: async function* () {
        yield result;
        yield result;
      },
      onNext: (_ctx, _id, _payload, _args, r) => rawPayloadOf(r) as FormattedExecutionResult,
      jsonMessageReplacer: rawPayloadReplacer,
    });
    const sent: string[] = [];
    let receive: (data: string) => Promise<void> = async () => {};
    server.opened(
      {
        protocol: GRAPHQL_TRANSPORT_WS_PROTOCOL,
        send: (data) => void sent.push(expandRawPayload(data)),
        close: () => {},
        onMessage: (cb) => (receive = cb),
      },
      {},
    );
    await receive(JSON.stringify({ type: "connection_init" }));
    await receive(JSON.stringify({ id: "s1", type: "subscribe", payload: { query: "subscription { greeting }" } }));
    const next = '{"id":"s1","type":"next","payload":{"data":{"greeting":"hello \\"there\\""}}}';
    expect(sent).toEqual(['{"type":"connection_ack"}', next, next, '{"id":"s1","type":"complete"}']);
  });
});
