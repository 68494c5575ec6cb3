import { useEffect, useId, useState } from "react";
import { useQuery, useSubscription } from "urql";
import { ReplyTemplateChangesDocument, ReplyTemplatesDocument } from "../generated/graphql.ts";
import { canChoose, templateLabel } from "./templateWords.ts";
import type { SendContent, SendOutcome } from "./useSend.ts";

interface Props {
  wabaId: string;
  replyTo: string | null;
  onSent: () => void;
  send: (content: SendContent) => Promise<SendOutcome>;
  busy: boolean;
  describedBy: string | undefined;
}

/**
 * Outside the service window, in place of the text box: the WABA's templates as Meta reported them
 * (Waba.templates), live; only approved ones can be chosen. A template is sent as it was approved
 * (no variables: the hub does not know a template's body).
 */
export function TemplatePicker({ wabaId, replyTo, onSent, send, busy, describedBy }: Props) {
  const id = useId();
  const [result, refetch] = useQuery({ query: ReplyTemplatesDocument, variables: { wabaId } });
  const [change] = useSubscription({ query: ReplyTemplateChangesDocument, variables: { wabaId } });
  useEffect(() => {
    if (change.data) refetch({ requestPolicy: "network-only" });
  }, [change.data, refetch]);
  const [chosen, setChosen] = useState("");

  // The ones that can be chosen first, each group by name.
  const templates = [...(result.data?.waba?.templates ?? [])].sort((a, b) => Number(canChoose(b)) - Number(canChoose(a)) || a.name.localeCompare(b.name));
  const template = templates.find((t) => t.id === chosen && canChoose(t));
  if (result.error && !result.data) return <p className="error">Could not load the templates: {result.error.message}</p>;
  if (!result.data) return <p aria-busy="true">Loading the templates…</p>;
  if (templates.length === 0) return <p className="muted">No template is known for this business yet: the hub lists those Meta reported to it.</p>;

  return (
    <div className="reply-row">
      <label htmlFor={id} className="visually-hidden">
        Template
      </label>
      <select id={id} value={chosen} aria-describedby={describedBy} onChange={(e) => setChosen(e.target.value)}>
        <option value="">Choose a template…</option>
        {templates.map((t) => (
          <option key={t.id} value={t.id} disabled={!canChoose(t)}>
            {templateLabel(t)}
          </option>
        ))}
      </select>
      <button
        type="button"
        disabled={busy || !template}
        onClick={() => {
          if (!template) return;
          void send({ template: { name: template.name, language: template.language }, replyTo }).then((outcome) => {
            if (outcome.kind !== "sent") return;
            setChosen("");
            onSent();
          });
        }}
      >
        {busy ? "Sending…" : "Send template"}
      </button>
    </div>
  );
}
