import { useEffect, useState } from "react";

/** The console's pages; the hub answers any of these paths with index.html (SPA fallback). */
export type Route =
  { page: "connections" } | { page: "waba"; wabaId: string } | { page: "inbox"; threadId: string | null } | { page: "deliveries" } | { page: "alerts" };

export function parseRoute(path: string): Route {
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case "inbox":
      return { page: "inbox", threadId: parts[1] ?? null };
    case "deliveries":
      return { page: "deliveries" };
    case "alerts":
      return { page: "alerts" };
    case "wabas":
      return parts[1] ? { page: "waba", wabaId: parts[1] } : { page: "connections" };
    default:
      return { page: "connections" };
  }
}

export function href(route: Route): string {
  switch (route.page) {
    case "connections":
      return "/";
    case "inbox":
      return route.threadId ? `/inbox/${encodeURIComponent(route.threadId)}` : "/inbox";
    case "deliveries":
      return "/deliveries";
    case "alerts":
      return "/alerts";
    case "waba":
      return `/wabas/${encodeURIComponent(route.wabaId)}`;
  }
}

export function navigate(to: string): void {
  history.pushState(null, "", to);
  dispatchEvent(new PopStateEvent("popstate"));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname));
    addEventListener("popstate", update);
    return () => removeEventListener("popstate", update);
  }, []);
  return route;
}
