// The server prints http://host:port/?setup=<token> at first start. The token is
// read once to prefill the setup form, then taken out of the address bar so it
// does not linger in history or get shared.

export const SETUP_PARAM = "setup";

export function readSetupToken(search: string): string {
  return new URLSearchParams(search).get(SETUP_PARAM) ?? "";
}

/** The same URL (path, query, hash) without the setup parameter, or null when it has none. */
export function withoutSetupParam(url: {
  pathname: string;
  search: string;
  hash: string;
}): string | null {
  const query = new URLSearchParams(url.search);
  if (!query.has(SETUP_PARAM)) return null;
  query.delete(SETUP_PARAM);
  const search = query.toString();
  return `${url.pathname}${search ? `?${search}` : ""}${url.hash}`;
}

export function removeSetupParam(): void {
  const next = withoutSetupParam(window.location);
  if (next !== null) window.history.replaceState(window.history.state, "", next);
}
