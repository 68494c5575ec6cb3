import { useCallback, useMemo, useState } from "react";

interface Notice {
  id: number;
  text: string;
}

export interface NoticeList {
  items: readonly Notice[];
  push: (text: string) => void;
  dismiss(id: number): void;
}

const KEEP = 5;
let nextId = 1;

/** Live notices, newest first; only the last few are kept so a burst of webhooks cannot flood the page. */
export function useNotices(): NoticeList {
  const [items, setItems] = useState<readonly Notice[]>([]);
  const push = useCallback((text: string) => setItems((prev) => [{ id: nextId++, text }, ...prev].slice(0, KEEP)), []);
  const dismiss = useCallback((id: number) => setItems((prev) => prev.filter((n) => n.id !== id)), []);
  return useMemo(() => ({ items, push, dismiss }), [items, push, dismiss]);
}

export function Notices({ notices }: { notices: NoticeList }) {
  return (
    <div className="notices" role="log" aria-live="polite" aria-label="Live notices">
      {notices.items.map((n) => (
        <p key={n.id} className="notice">
          <span>{n.text}</span>
          <button type="button" className="dismiss" aria-label="Dismiss notice" onClick={() => notices.dismiss(n.id)}>
            ×
          </button>
        </p>
      ))}
    </div>
  );
}
