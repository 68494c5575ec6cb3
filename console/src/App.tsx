import { useCallback, useEffect, useState } from "react";
import { Provider } from "urql";
import { createHubClient, type HubClient, type LiveState } from "./client.ts";
import { forgetToken, storedToken, storeToken } from "./session.ts";
import { SignIn } from "./SignIn.tsx";
import { Shell } from "./Shell.tsx";

interface Session {
  hub: HubClient;
}

export function App() {
  const [live, setLive] = useState<LiveState>("idle");
  const [notice, setNotice] = useState<string | null>(null);
  const [session, setSession] = useState<Session | null>(null);

  const signOut = useCallback((why: string | null) => {
    forgetToken();
    setNotice(why);
    setSession((current) => {
      current?.hub.dispose();
      return null;
    });
  }, []);

  const open = useCallback(
    (token: string): HubClient =>
      createHubClient(token, {
        unauthorized: () => signOut("The hub refused the token (it may have been rotated out of API_TOKENS). Sign in again."),
        live: setLive,
      }),
    [signOut],
  );

  // A token from earlier in this browser session: use it; a refused one signs out by itself.
  useEffect(() => {
    const token = storedToken();
    if (!token) return;
    const hub = open(token);
    setSession({ hub });
    return () => hub.dispose();
  }, [open]);

  if (!session)
    return (
      <SignIn
        notice={notice}
        onSignedIn={(token) => {
          storeToken(token);
          setNotice(null);
          setSession({ hub: open(token) });
        }}
      />
    );
  return (
    <Provider value={session.hub.client}>
      <Shell live={live} onSignOut={() => signOut("Signed out: this browser no longer keeps the token.")} />
    </Provider>
  );
}
