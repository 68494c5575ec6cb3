import { useId, useState, type FormEvent } from "react";
import { createHubClient, isUnauthenticated } from "./client.ts";
import { SignInCheckDocument } from "./generated/graphql.ts";

interface Props {
  notice: string | null;
  onSignedIn: (token: string) => void;
}

/** Paste an API token; it is tried against the hub before the console opens. */
export function SignIn({ notice, onSignedIn }: Props) {
  const inputId = useId();
  const hintId = useId();
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const candidate = token.trim();
    if (!candidate) return setError("Paste an API token first.");
    setBusy(true);
    setError(null);
    // A client of its own for the check: the console's client is made once the token is known good.
    const probe = createHubClient(candidate, { unauthorized: () => {}, live: () => {} });
    const result = await probe.client.query(SignInCheckDocument, {}, { requestPolicy: "network-only" }).toPromise();
    probe.dispose();
    setBusy(false);
    if (!result.error) return onSignedIn(candidate);
    setError(
      isUnauthenticated(result.error)
        ? "Wrong token: the hub does not accept it. Use one of the hub's API_TOKENS (printed at its first start, or set in .env)."
        : `Could not reach the hub (${result.error.message}). Is it running?`,
    );
  }

  return (
    <main className="sign-in">
      <h1>Coexist Hub</h1>
      <p>Connections, inbox and deliveries of your WhatsApp coexistence numbers.</p>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={(event) => void submit(event)} noValidate>
        <label htmlFor={inputId}>API token</label>
        <input
          id={inputId}
          name="token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={token}
          onChange={(e) => setToken(e.target.value)}
          aria-describedby={hintId}
          aria-invalid={error ? true : undefined}
          autoFocus
        />
        <p id={hintId} className="hint">
          Kept in this tab only, until you sign out or close it.
        </p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? "Checking…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
