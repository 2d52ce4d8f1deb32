import { type FormEvent, useState } from "react";
import { errorMessage } from "../api/client.ts";
import { useSites } from "../api/queries.ts";
import type { Site, User } from "../api/types.ts";
import { TimeZoneSelect } from "../layout/TimeZoneSelect.tsx";
import { Link, navigate } from "../router.ts";
import { ProxyRecipes } from "../sites/ProxyRecipes.tsx";
import { snippetFor } from "../sites/recipes.ts";
import { CopyBlock } from "../ui/CopyBlock.tsx";
import { Dialog } from "../ui/Dialog.tsx";
import { Empty, ErrorNotice, Notice } from "../ui/Notice.tsx";
import { QueryState } from "../ui/Panel.tsx";
import { type Feature, type Identity, useDeleteSite, useUpdateSite } from "./api.ts";
import { settingsHref } from "./nav.ts";
import { mayDelete, mayManage } from "./rights.ts";
import { SiteMembers } from "./SiteMembers.tsx";
import {
  changesOf,
  draftOf,
  FEATURE_LABELS,
  FEATURE_ORDER,
  FINGERPRINT_CONSENT,
  IDENTITY_LABELS,
  type SiteDraft,
} from "./siteForm.ts";

/** The sites this user manages, or one of them with all its settings. */
export default function SitesSettings({ me, site }: { me: User; site: string | null }) {
  const sites = useSites();
  return (
    <QueryState query={sites} loadingText="Loading sites…">
      {() => {
        const list = (sites.data?.sites ?? []).filter((s) => mayManage(me, s.id));
        if (site === null) return <SiteList sites={list} me={me} />;
        const found = list.find((s) => s.id === site);
        if (!found)
          return (
            <section className="card empty">
              <h2>No site “{site}” to manage</h2>
              <p className="muted">
                It was deleted, or you are not an owner or admin of it.{" "}
                <Link to={settingsHref("sites")}>See your sites</Link>.
              </p>
            </section>
          );
        return <SiteSettings key={found.id} me={me} site={found} />;
      }}
    </QueryState>
  );
}

function SiteList({ sites, me }: { sites: readonly Site[]; me: User }) {
  return (
    <section className="card settings-card" aria-labelledby="sites-title">
      <h2 id="sites-title">Sites</h2>
      {sites.length ? (
        <ul className="settings-list">
          {sites.map((s) => (
            <li key={s.id} className="settings-row">
              <div>
                <Link to={settingsHref("sites", s.id)} className="settings-row-title">
                  {s.name}
                </Link>
                <span className="muted">
                  {s.domains.join(", ")} · {s.timezone} · {IDENTITY_LABELS[s.identity].label}
                </span>
              </div>
              <span className="badge">{me.instanceAdmin ? "instance admin" : me.sites[s.id]}</span>
            </li>
          ))}
        </ul>
      ) : (
        <Empty>No sites to manage yet.</Empty>
      )}
      {me.instanceAdmin && (
        <div className="form-actions form-actions-start">
          <Link to="/sites-new" className="button button-secondary">
            Add a site
          </Link>
        </div>
      )}
    </section>
  );
}

function SiteSettings({ me, site }: { me: User; site: Site }) {
  return (
    <>
      <div className="settings-head">
        <Link to={settingsHref("sites")} className="muted">
          ← Sites
        </Link>
        <h2>{site.name}</h2>
        <Link to={`/sites/${encodeURIComponent(site.id)}`}>Open the dashboard</Link>
      </div>
      <SiteForm site={site} />
      <section className="card settings-card" aria-labelledby="code-title">
        <h2 id="code-title">Tracking code</h2>
        <p className="muted">Put the snippet in the &lt;head&gt; of every page of the site.</p>
        <CopyBlock label="Tracking snippet" text={snippetFor(site)} testId="snippet" />
        <h3>Forward /sl/ on your domain to this server</h3>
        <ProxyRecipes site={site} />
      </section>
      <SiteMembers me={me} site={site} />
      {mayDelete(me, site.id) && <DeleteSite site={site} />}
    </>
  );
}

function SiteForm({ site }: { site: Site }) {
  const [draft, setDraft] = useState<SiteDraft>(() => draftOf(site));
  const [problem, setProblem] = useState<string | null>(null);
  const update = useUpdateSite(site.id);
  const set = (patch: Partial<SiteDraft>) => {
    update.reset();
    setDraft((d) => ({ ...d, ...patch }));
  };
  const { changes } = changesOf(site, draft);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const result = changesOf(site, draft);
    setProblem(result.problem);
    if (result.changes) update.mutate(result.changes);
  };
  const toggle = (feature: Feature, on: boolean) =>
    set({
      features: on ? [...draft.features, feature] : draft.features.filter((f) => f !== feature),
    });
  const message = problem ?? (update.isError ? errorMessage(update.error) : null);

  return (
    <form className="card settings-card form" onSubmit={submit} aria-labelledby="site-form-title">
      <h2 id="site-form-title">General</h2>
      <div className="field">
        <label htmlFor="site-name">Name</label>
        <input
          id="site-name"
          name="name"
          required
          maxLength={100}
          value={draft.name}
          onChange={(e) => set({ name: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor="site-id">Site id</label>
        <input id="site-id" value={site.id} readOnly aria-describedby="site-id-hint" />
        <span id="site-id-hint" className="hint">
          The snippet's <code>data-site</code>; it cannot change.
        </span>
      </div>
      <div className="field">
        <label htmlFor="site-domains">Domains</label>
        <textarea
          id="site-domains"
          name="domains"
          rows={3}
          spellCheck={false}
          aria-describedby="site-domains-hint"
          value={draft.domains}
          onChange={(e) => set({ domains: e.target.value })}
        />
        <span id="site-domains-hint" className="hint">
          One per line. Events are accepted only from pages on these domains and their subdomains.
        </span>
      </div>
      <div className="field">
        <label htmlFor="site-tz">Reporting time zone</label>
        <TimeZoneSelect
          id="site-tz"
          value={draft.timezone}
          onChange={(timezone) => set({ timezone })}
        />
        <span className="hint">Days, weeks and months in reports start at midnight here.</span>
      </div>
      <fieldset className="field-row fieldset-plain">
        <legend>Retention</legend>
        <div className="field">
          <label htmlFor="site-raw">Raw events (months)</label>
          <input
            id="site-raw"
            name="rawMonths"
            type="number"
            min={1}
            max={1200}
            required
            value={draft.rawMonths}
            onChange={(e) => set({ rawMonths: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="site-rollup">Hourly rollups (months)</label>
          <input
            id="site-rollup"
            name="rollupMonths"
            type="number"
            min={1}
            max={1200}
            required
            value={draft.rollupMonths}
            onChange={(e) => set({ rollupMonths: e.target.value })}
          />
        </div>
        <p className="hint fieldset-note">
          Older data is deleted by the database. Shortening retention deletes stored data beyond it.
        </p>
      </fieldset>
      <fieldset className="fieldset-plain choice-list">
        <legend>How visitors are told apart</legend>
        {(Object.keys(IDENTITY_LABELS) as Identity[]).map((mode) => (
          <label key={mode} className="choice">
            <input
              type="radio"
              name="identity"
              value={mode}
              checked={draft.identity === mode}
              onChange={() => set({ identity: mode })}
            />
            <span>
              <strong>{IDENTITY_LABELS[mode].label}</strong>
              <span className="hint">{IDENTITY_LABELS[mode].note}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {draft.identity === "fingerprint" && (
        <div className="notice notice-warn" role="note" data-testid="consent-note">
          {FINGERPRINT_CONSENT}
        </div>
      )}
      <fieldset className="fieldset-plain">
        <legend>What the tracker captures</legend>
        <div className="check-grid">
          {FEATURE_ORDER.map((feature) => (
            <label key={feature} className="check-field">
              <input
                type="checkbox"
                name="features"
                value={feature}
                checked={draft.features.includes(feature)}
                onChange={(e) => toggle(feature, e.target.checked)}
              />
              <span>{FEATURE_LABELS[feature]}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {message && <ErrorNotice message={message} />}
      {update.isSuccess && !changes && (
        <Notice>
          <span data-testid="site-saved">Saved.</span>
        </Notice>
      )}
      <div className="form-actions form-actions-start">
        <button type="submit" className="button" disabled={update.isPending || !changes}>
          {update.isPending ? "Saving…" : "Save changes"}
        </button>
        {changes && (
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              setProblem(null);
              set(draftOf(site));
            }}
          >
            Discard
          </button>
        )}
      </div>
    </form>
  );
}

function DeleteSite({ site }: { site: Site }) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const remove = useDeleteSite(site.id, () => navigate(settingsHref("sites")));
  const close = () => {
    setOpen(false);
    setTyped("");
    remove.reset();
  };
  return (
    <section className="card settings-card danger-card" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete this site</h2>
      <p className="muted">
        Deletes the site, all its events and rollups, every role on it, and its dashboards (widgets
        of it on shared dashboards are removed). This cannot be undone.
      </p>
      <div className="form-actions form-actions-start">
        <button type="button" className="button button-danger" onClick={() => setOpen(true)}>
          Delete {site.name}…
        </button>
      </div>
      {open && (
        <Dialog title={`Delete ${site.name}?`} onClose={close}>
          <form
            className="form"
            onSubmit={(e) => {
              e.preventDefault();
              if (typed !== site.id) return;
              remove.mutate(typed);
            }}
          >
            <p>
              All of the site's data is deleted for good. To confirm, type the site id{" "}
              <code>{site.id}</code>.
            </p>
            {remove.isError && <ErrorNotice message={errorMessage(remove.error)} />}
            <div className="field">
              <label htmlFor="delete-confirm">Site id</label>
              <input
                id="delete-confirm"
                name="confirm"
                autoComplete="off"
                spellCheck={false}
                value={typed}
                onChange={(e) => setTyped(e.target.value)}
              />
            </div>
            <div className="form-actions">
              <button type="button" className="button button-secondary" onClick={close}>
                Cancel
              </button>
              <button
                type="submit"
                className="button button-danger"
                disabled={typed !== site.id || remove.isPending}
              >
                {remove.isPending ? "Deleting…" : "Delete the site and its data"}
              </button>
            </div>
          </form>
        </Dialog>
      )}
    </section>
  );
}
