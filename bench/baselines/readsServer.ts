/**
 * Reads baseline: the same two requests answered by hand-written SQL with better-sqlite3 on the same
 * database file (read-only), in the same JSON shape as the GraphQL responses: one statement for the
 * thread list (threads ⋈ contact ⟕ last message), two for a thread's page (the thread and its contact, its messages).
 * No GraphQL parsing/validation/execution and no ORM: the floor for these reads on this machine.
 */
import { createServer } from "node:http";
import Database from "better-sqlite3";

const db = new Database(process.env.DATABASE_FILE ?? "", { readonly: true, fileMustExist: true });
const token = `Bearer ${(process.env.API_TOKENS ?? "").split(",")[0]}`;

const threadsStmt = db.prepare(`
  SELECT t."id", c."waId", t."lastMessageAt",
         c."id" AS "contactId", c."waId" AS "contactWaId", c."profileName", c."fullName",
         m."id" AS "messageId", m."wamid", m."direction", m."type", m."text", m."timestamp", m."status", m."revokedAt"
  FROM "Thread" t
  JOIN "Contact" c ON c."id" = t."contactId"
  LEFT JOIN "Message" m ON m."id" = t."lastMessageId"
  ORDER BY t."lastMessageAt" DESC, t."id" DESC
  LIMIT ?`);
const threadStmt = db.prepare(`SELECT t."id", c."waId" FROM "Thread" t JOIN "Contact" c ON c."id" = t."contactId" WHERE t."id" = ?`);
const pageStmt = db.prepare(`
  SELECT "id", "wamid", "direction", "source", "type", "text", "timestamp", "status", "revokedAt"
  FROM "Message" WHERE "threadId" = ?
  ORDER BY "timestamp" DESC, "id" DESC
  LIMIT ?`);

const date = (v: string | null) => (v === null ? null : new Date(v).toISOString());
const cursor = (id: string) => Buffer.from(`GPC:S:${id}`).toString("base64");

type Row = Record<string, string | null>;

function threads(first: number) {
  const rows = threadsStmt.all(first + 1) as Row[];
  const page = rows.slice(0, first);
  return {
    threads: {
      edges: page.map((r) => ({
        cursor: cursor(r.id!),
        node: {
          id: r.id,
          waId: r.waId,
          lastMessageAt: date(r.lastMessageAt!),
          contact: { id: r.contactId, waId: r.contactWaId, profileName: r.profileName, fullName: r.fullName },
          lastMessage: r.messageId
            ? {
                id: r.messageId,
                wamid: r.wamid,
                direction: r.direction,
                type: r.type,
                text: r.revokedAt ? null : r.text,
                timestamp: date(r.timestamp!),
                status: r.status,
              }
            : null,
        },
      })),
      pageInfo: { hasNextPage: rows.length > first, endCursor: page.length ? cursor(page[page.length - 1]!.id!) : null },
    },
  };
}

function messages(id: string, last: number) {
  const thread = threadStmt.get(id) as Row | undefined;
  if (!thread) return { thread: null };
  const rows = pageStmt.all(id, last + 1) as Row[];
  const page = rows.slice(0, last).reverse();
  return {
    thread: {
      id: thread.id,
      waId: thread.waId,
      messages: {
        edges: page.map((m) => ({
          cursor: cursor(m.id!),
          node: {
            id: m.id,
            wamid: m.wamid,
            direction: m.direction,
            source: m.source,
            type: m.type,
            text: m.revokedAt ? null : m.text,
            timestamp: date(m.timestamp!),
            status: m.status,
          },
        })),
        pageInfo: { hasPreviousPage: rows.length > last, startCursor: page.length ? cursor(page[0]!.id!) : null },
      },
    },
  };
}

const server = createServer((req, res) => {
  if (req.url === "/healthz") return void res.end("ok");
  if (req.headers.authorization !== token) {
    res.writeHead(401);
    return void res.end();
  }
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const { operationName, variables } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    const data = operationName === "Threads" ? threads(variables.first) : messages(variables.id, variables.last);
    res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" });
    res.end(JSON.stringify({ data }));
  });
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? "127.0.0.1");
process.on("SIGTERM", () =>
  server.close(() => {
    db.close();
    process.exit(0);
  }),
);
