// After signing in with the OpenID provider, the server sets the session's refresh cookie and
// sends the browser to /?signin=oidc (backend/src/routes/oidc.ts, SIGNED_IN_LOCATION). No token
// is ever in the URL: the dashboard swaps the cookie for an access token, then drops the marker.

export const SIGNIN_PARAM = "signin";

export function cameFromProvider(search: string): boolean {
  return new URLSearchParams(search).get(SIGNIN_PARAM) === "oidc";
}

export function removeSigninParam(): void {
  const query = new URLSearchParams(window.location.search);
  if (!query.has(SIGNIN_PARAM)) return;
  query.delete(SIGNIN_PARAM);
  const search = query.toString();
  const next = `${window.location.pathname}${search ? `?${search}` : ""}${window.location.hash}`;
  window.history.replaceState(window.history.state, "", next);
}
