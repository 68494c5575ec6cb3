import type { YogaServerOptions } from "graphql-yoga";

type CorsOption = YogaServerOptions<object, object>["cors"];

/**
 * CORS for GraphQL: off unless CORS_ORIGINS lists origins (the console is same-origin and needs
 * none). An origin on the list is answered with itself, never with credentials: tokens travel in
 * the Authorization header, not cookies. Any other origin gets no CORS headers at all, so a
 * browser keeps the answer from its page. yoga's default echoed every origin with credentials.
 */
export function corsOption(origins: readonly string[]): CorsOption {
  if (!origins.length) return false;
  const allowed = new Set(origins);
  return (request: Request) => {
    const origin = request.headers.get("origin");
    if (!origin || !allowed.has(origin)) return false;
    return { origin: [origin], credentials: false, allowedHeaders: ["Authorization", "Content-Type"], methods: ["GET", "POST"] };
  };
}
