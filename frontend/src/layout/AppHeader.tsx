import { signOut } from "../api/client.ts";
import type { Site, User } from "../api/types.ts";
import { Link, navigate } from "../router.ts";
import { SETTINGS_PATH } from "../settings/nav.ts";
import { PAGES, switchTo } from "../state/dash.ts";
import { useDash } from "../state/scope.tsx";
import { ThemeToggle } from "../ui/ThemeToggle.tsx";
import { ADD_SITE_PATH } from "./NoSites.tsx";

const ADD = "\u0000add";

/** One line at every width: brand, site switcher, theme and account; the pages get a bar below. */
export function AppHeader({
  user,
  sites,
  site,
}: {
  user: User | undefined;
  sites: readonly Site[];
  site: Site | null;
}) {
  const { state, href } = useDash();
  return (
    <>
      <header className="topbar">
        <Link to="/" className="brand" aria-label="Sightline home">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">Sightline</span>
        </Link>
        {site && sites.length > 0 && (
          <label className="site-switcher">
            <span className="visually-hidden">Site</span>
            <select
              name="site"
              value={site.id}
              onChange={(e) =>
                navigate(
                  e.target.value === ADD
                    ? ADD_SITE_PATH
                    : href(switchTo(state, { site: e.target.value })),
                )
              }
            >
              {sites.map((s) => (
                <option key={s.id} value={s.id} title={s.id}>
                  {s.name}
                </option>
              ))}
              {user?.role === "admin" && <option value={ADD}>+ Add a site…</option>}
            </select>
          </label>
        )}
        <Link
          to="/boards"
          className="topbar-link"
          aria-current={state.board || window.location.pathname === "/boards" ? "page" : undefined}
        >
          Custom dashboards
        </Link>
        <Link
          to={SETTINGS_PATH}
          className="topbar-link"
          aria-current={window.location.pathname.startsWith(SETTINGS_PATH) ? "page" : undefined}
        >
          Settings
        </Link>
        <span className="topbar-spacer" />
        <ThemeToggle />
        {user && (
          <span className="user-email" title={`Signed in as ${user.email} (${user.role})`}>
            {user.email}
          </span>
        )}
        {/* Signing out ends the session on the server and forgets the token. */}
        <button
          type="button"
          className="button button-secondary button-small"
          onClick={() => void signOut()}
        >
          Sign out
        </button>
      </header>
      {site && (
        <nav className="pagebar" aria-label="Reports">
          {PAGES.map((p) => (
            <Link
              key={p.key}
              to={href(switchTo(state, { page: p.key }))}
              className="pagebar-link"
              aria-current={state.page === p.key ? "page" : undefined}
            >
              {p.label}
            </Link>
          ))}
          <Link
            to={href({ ...switchTo(state, { page: "dashboard" }), extra: { setup: "1" } })}
            className="pagebar-link pagebar-end"
            aria-current={state.extra.setup === "1" ? "page" : undefined}
          >
            Tracking code
          </Link>
        </nav>
      )}
    </>
  );
}
