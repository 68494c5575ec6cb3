import { ThreadList } from "./ThreadList.tsx";
import { ThreadView } from "./ThreadView.tsx";

/** Threads on the left, the open one on the right; on a phone one at a time (see styles.css). */
export function Inbox({ threadId }: { threadId: string | null }) {
  return (
    <div className={threadId ? "inbox has-thread" : "inbox"}>
      <ThreadList selected={threadId} />
      {threadId ? (
        <ThreadView key={threadId} threadId={threadId} />
      ) : (
        <section className="thread-view empty-view" aria-label="Conversation">
          <p className="muted">Choose a conversation to read it.</p>
        </section>
      )}
    </div>
  );
}
