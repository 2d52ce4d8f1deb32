import { clearToken } from "../api/token.ts";
import type { User } from "../api/types.ts";

export function AppHeader({ user }: { user: User | undefined }) {
  return (
    <header className="topbar">
      <span className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Sightline
      </span>
      <div className="topbar-user">
        {user && (
          <span className="user-email" title={`Signed in as ${user.email} (${user.role})`}>
            {user.email}
          </span>
        )}
        {/* The JWT is stateless, so signing out is forgetting it; the app then shows the login. */}
        <button type="button" className="button button-secondary" onClick={clearToken}>
          Sign out
        </button>
      </div>
    </header>
  );
}
