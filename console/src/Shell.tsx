import type { MouseEvent } from "react";
import type { LiveState } from "./client.ts";
import { Dashboard } from "./dashboard/Dashboard.tsx";
import { WabaPage } from "./dashboard/WabaPage.tsx";
import { Inbox } from "./inbox/Inbox.tsx";
import { Deliveries } from "./deliveries/Deliveries.tsx";
import { Alerts } from "./alerts/Alerts.tsx";
import { href, navigate, useRoute, type Route } from "./router.ts";
import type { Tone } from "./words.ts";

const LIVE_WORDS: Record<LiveState, string> = {
  idle: "",
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
};
const LIVE_TONES: Record<LiveState, Tone | null> = { idle: null, connecting: "warn", live: "ok", reconnecting: "warn" };

const PAGES: { route: Route; label: string }[] = [
  { route: { page: "connections" }, label: "Connections" },
  { route: { page: "inbox", threadId: null }, label: "Inbox" },
  { route: { page: "deliveries" }, label: "Deliveries" },
  { route: { page: "alerts" }, label: "Alerts" },
];

/** The signed-in frame: navigation, the live-updates indicator, sign-out, and the current page. */
export function Shell({ live, onSignOut }: { live: LiveState; onSignOut: () => void }) {
  const route = useRoute();
  const follow = (event: MouseEvent<HTMLAnchorElement>, to: string) => {
    // Let modified clicks open a new tab as usual.
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Coexist Hub</span>
        <nav aria-label="Console">
          {PAGES.map(({ route: target, label }) => (
            <a
              key={label}
              href={href(target)}
              aria-current={target.page === route.page || (target.page === "connections" && route.page === "waba") ? "page" : undefined}
              onClick={(e) => follow(e, href(target))}
            >
              {label}
            </a>
          ))}
        </nav>
        <span className={LIVE_TONES[live] ? `live tone-${LIVE_TONES[live]}` : "live"} role="status" title="Live updates over WebSocket">
          {LIVE_WORDS[live]}
        </span>
        <button type="button" className="secondary" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {route.page === "connections" && <Dashboard />}
        {route.page === "waba" && <WabaPage key={route.wabaId} wabaId={route.wabaId} />}
        {route.page === "inbox" && <Inbox threadId={route.threadId} />}
        {route.page === "deliveries" && <Deliveries />}
        {route.page === "alerts" && <Alerts />}
      </main>
    </>
  );
}
