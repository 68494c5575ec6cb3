import { useEffect, useId, useState } from "react";
import { useMutation, useQuery, useSubscription } from "urql";
import { RefreshReplyTemplatesDocument, ReplyTemplateChangesDocument, ReplyTemplatesDocument } from "../generated/graphql.ts";
import { canChoose, componentsOf, inputsOf, templateLabel } from "./templateWords.ts";
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
 * Outside the service window, in place of the text box: the WABA's templates as Meta lists them
 * (Waba.templates, cached by the hub; "Refresh templates" lists them again), live; only approved
 * ones can be chosen, the others say why. What the chosen template needs (its variables, a media
 * header's link, a location header's place, a button's value) each get an input, sent as the
 * template's components.
 */
export function TemplatePicker({ wabaId, replyTo, onSent, send, busy, describedBy }: Props) {
  const id = useId();
  const [result, refetch] = useQuery({ query: ReplyTemplatesDocument, variables: { wabaId } });
  const [change] = useSubscription({ query: ReplyTemplateChangesDocument, variables: { wabaId } });
  const [refreshing, refreshTemplates] = useMutation(RefreshReplyTemplatesDocument);
  useEffect(() => {
    if (change.data) refetch({ requestPolicy: "network-only" });
  }, [change.data, refetch]);
  const [chosen, setChosen] = useState("");
  const [values, setValues] = useState<Record<string, string>>({});

  const refresh = () =>
    void refreshTemplates({ wabaId }).then((res) => {
      if (!res.error) refetch({ requestPolicy: "network-only" });
    });
  const refreshButton = (
    <button type="button" className="link" disabled={refreshing.fetching} onClick={refresh}>
      {refreshing.fetching ? "Refreshing…" : "Refresh templates"}
    </button>
  );
  const refreshError = refreshing.error && (
    <p className="error">Could not refresh the templates: {refreshing.error.graphQLErrors[0]?.message ?? refreshing.error.message}</p>
  );

  // The ones that can be chosen first, each group by name.
  const templates = [...(result.data?.waba?.templates ?? [])].sort((a, b) => Number(canChoose(b)) - Number(canChoose(a)) || a.name.localeCompare(b.name));
  const template = templates.find((t) => t.id === chosen && canChoose(t));
  if (result.error && !result.data) return <p className="error">Could not load the templates: {result.error.message}</p>;
  if (!result.data) return <p aria-busy="true">Loading the templates…</p>;
  if (templates.length === 0) {
    return (
      <div>
        <p className="muted">No template is known for this business yet: none listed by Meta, none named by its webhooks. {refreshButton}</p>
        {refreshError}
      </div>
    );
  }
  const inputs = template ? inputsOf(template) : [];
  const complete = inputs.every((i) => !i.required || (values[i.key] ?? "").trim() !== "");

  return (
    <div className="template-picker">
      <div className="reply-row">
        <label htmlFor={id} className="visually-hidden">
          Template
        </label>
        <select
          id={id}
          value={chosen}
          aria-describedby={describedBy}
          onChange={(e) => {
            setChosen(e.target.value);
            setValues({});
          }}
        >
          <option value="">Choose a template…</option>
          {templates.map((t) => (
            <option key={t.id} value={t.id} disabled={!canChoose(t)}>
              {templateLabel(t)}
            </option>
          ))}
        </select>
        <button
          type="button"
          disabled={busy || !template || !complete}
          onClick={() => {
            if (!template) return;
            const components = componentsOf(template, values);
            void send({ template: { name: template.name, language: template.language, ...(components ? { components } : {}) }, replyTo }).then((outcome) => {
              if (outcome.kind !== "sent") return;
              setChosen("");
              setValues({});
              onSent();
            });
          }}
        >
          {busy ? "Sending…" : "Send template"}
        </button>
      </div>
      {inputs.length > 0 && (
        <fieldset className="template-variables">
          <legend>Fill in the template</legend>
          {inputs.map((i) => (
            <label key={i.key}>
              {i.label}
              {i.required ? "" : " (optional)"}
              <input
                type={i.key === "header:link" ? "url" : "text"}
                value={values[i.key] ?? ""}
                required={i.required}
                onChange={(e) => setValues((prev) => ({ ...prev, [i.key]: e.target.value }))}
              />
            </label>
          ))}
        </fieldset>
      )}
      <p className="muted">
        {result.data.waba?.templatesListedAt
          ? `Listed from Meta ${new Date(result.data.waba.templatesListedAt).toLocaleString()}.`
          : "Not listed from Meta yet."}{" "}
        {refreshButton}
      </p>
      {refreshError}
    </div>
  );
}
