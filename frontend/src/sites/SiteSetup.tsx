import { useSiteStatus } from "../api/queries.ts";
import type { Site } from "../api/types.ts";
import { CopyBlock } from "../ui/CopyBlock.tsx";
import { ProxyRecipes } from "./ProxyRecipes.tsx";
import { snippetFor } from "./recipes.ts";

const POLL_MS = 3000;

/**
 * A new site's page: the exact snippet, the first-party proxy recipes, and a live check that
 * turns green when the first event arrives.
 */
export function SiteSetup({ site, onDone }: { site: Site; onDone: () => void }) {
  const status = useSiteStatus(site.id, POLL_MS);
  const data = status.data;
  const arrived = Boolean(data && (data.firstEventAt || data.events24h > 0));
  const botsOnly = Boolean(data && !arrived && data.botEvents24h > 0);

  return (
    <div className="setup">
      <section className="card setup-card">
        <h1>Add Sightline to {site.name}</h1>
        <ol className="steps">
          <li>
            <h2>Put this snippet in the &lt;head&gt; of every page</h2>
            <CopyBlock label="Tracking snippet" text={snippetFor(site)} testId="snippet" />
            <p className="muted">
              The script loads from <code>/sl/s.js</code> on your own domain and sends events to{" "}
              <code>/sl/e</code> beside it: first-party, so blockers and browsers treat it as part
              of your site. No cookies; visitors are counted with a daily-salted hash.
            </p>
          </li>
          <li>
            <h2>Forward /sl/ on your domain to this server</h2>
            <ProxyRecipes site={site} />
          </li>
          <li>
            <h2>Open your site in a browser</h2>
            <div
              className={`waiting${arrived ? " waiting-done" : ""}`}
              role="status"
              data-testid="first-event"
              data-state={arrived ? "received" : "waiting"}
            >
              {arrived ? (
                <>
                  <span className="check" aria-hidden="true">
                    ✓
                  </span>
                  <span>
                    The first event arrived
                    {data?.lastEventAt
                      ? ` (${new Date(data.lastEventAt).toLocaleTimeString()})`
                      : ""}
                    . Sightline is counting {site.name}.
                  </span>
                  <button type="button" className="button" onClick={onDone}>
                    Open the dashboard
                  </button>
                </>
              ) : (
                <>
                  <span className="spinner" aria-hidden="true" />
                  <span>
                    Waiting for the first event… this checks every few seconds.
                    {botsOnly &&
                      " Events did arrive, but from an automated browser, which Sightline counts as a bot: open the site in an ordinary browser."}
                  </span>
                </>
              )}
            </div>
          </li>
        </ol>
      </section>
    </div>
  );
}
