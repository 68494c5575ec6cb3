/**
 * The API token lives in sessionStorage only: it is gone when the tab closes, and never written
 * where another site or a later visitor of a shared computer could read it.
 */
const KEY = "coexist-hub.token";

export function storedToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    // Storage disabled (privacy mode): the user signs in again after a reload.
    return null;
  }
}

export function storeToken(token: string): void {
  try {
    sessionStorage.setItem(KEY, token);
  } catch {
    // See storedToken: the session still works until the page reloads.
  }
}

export function forgetToken(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing was stored.
  }
}
