import type { ReplyGate } from "./replyGate.ts";

/** Why the box is not the plain text box, and what to do about it. */
export function GateNotice({ notice, id }: { notice: NonNullable<ReplyGate["notice"]>; id: string }) {
  return (
    <div id={id} className={`gate-notice tone-${notice.tone}`} role="status">
      <p className="gate-why">{notice.why}</p>
      {notice.todo && <p>{notice.todo}</p>}
    </div>
  );
}
