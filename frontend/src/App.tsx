import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useSyncExternalStore } from "react";
import { getToken, sessionOf, subscribeToken } from "./api/token.ts";
import { LinkPage } from "./auth/LinkPage.tsx";
import { LoginPage } from "./auth/LoginPage.tsx";
import { linkKind } from "./auth/linkToken.ts";
import { removeSetupParam } from "./auth/setupParam.ts";
import { SignedIn } from "./layout/SignedIn.tsx";
import { useLocation } from "./router.ts";
import { SharePage } from "./share/SharePage.tsx";

// "/" shows the sign-in while there is no token and the dashboard once there is one. A 401
// drops the token (see api/client.ts), which lands here too. One-time links (an invitation, a
// password reset) open their own page, signed in or not.
export function App() {
  const token = useSyncExternalStore(subscribeToken, getToken, () => null);
  const queryClient = useQueryClient();
  const { pathname } = useLocation();
  const link = linkKind(pathname);

  // Cached data belongs to the session that fetched it; a new or ended session starts clean. A
  // renewed access token of the same session keeps it (open pages and half-filled forms stay).
  useEffect(() => {
    let session = sessionOf(getToken());
    return subscribeToken(() => {
      const next = sessionOf(getToken());
      if (next === session) return;
      session = next;
      queryClient.removeQueries();
    });
  }, [queryClient]);

  // Once signed in, the one-time setup token has no use in the address bar.
  useEffect(() => {
    if (token) removeSetupParam();
  }, [token]);

  // A share link opens without signing in, whoever is signed in in this browser.
  if (pathname.startsWith("/share/")) return <SharePage />;
  if (link) return <LinkPage kind={link} />;
  return token ? <SignedIn /> : <LoginPage />;
}
