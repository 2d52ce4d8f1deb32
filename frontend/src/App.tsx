import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useSyncExternalStore } from "react";
import { getToken, subscribeToken } from "./api/token.ts";
import { LoginPage } from "./auth/LoginPage.tsx";
import { removeSetupParam } from "./auth/setupParam.ts";
import { SignedIn } from "./layout/SignedIn.tsx";
import { useLocation } from "./router.ts";
import { SharePage } from "./share/SharePage.tsx";

// "/" shows the sign-in while there is no token and the dashboard once there is one. A 401
// drops the token (see api/client.ts), which lands here too.
export function App() {
  const token = useSyncExternalStore(subscribeToken, getToken, () => null);
  const queryClient = useQueryClient();
  const { pathname } = useLocation();

  // Cached data belongs to the session that fetched it; a new or ended session starts clean.
  useEffect(() => subscribeToken(() => queryClient.removeQueries()), [queryClient]);

  // Once signed in, the one-time setup token has no use in the address bar.
  useEffect(() => {
    if (token) removeSetupParam();
  }, [token]);

  // A share link opens without signing in, whoever is signed in in this browser.
  if (pathname.startsWith("/share/")) return <SharePage />;
  return token ? <SignedIn /> : <LoginPage />;
}
