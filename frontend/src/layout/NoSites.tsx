import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { apiFetch, errorMessage } from "../api/client.ts";
import { queryKeys } from "../api/queries.ts";
import type { Site, User } from "../api/types.ts";
import { navigate } from "../router.ts";
import { ErrorNotice } from "../ui/Notice.tsx";
import { TimeZoneSelect, viewerZone } from "./TimeZoneSelect.tsx";

export const ADD_SITE_PATH = "/sites-new";

/** Adding a site (the first one, or another): admins add it here; others are told whom to ask. */
export function NoSites({ user, first }: { user: User | undefined; first: boolean }) {
  const client = useQueryClient();
  const [domain, setDomain] = useState("");
  const [timezone, setTimezone] = useState(viewerZone);
  const create = useMutation({
    mutationFn: (body: { id: string; domains: string[]; timezone: string }) =>
      apiFetch<Site>("/api/v1/sites", { method: "POST", body }),
    onSuccess: async (site) => {
      await client.invalidateQueries({ queryKey: queryKeys.sites });
      navigate(`/sites/${encodeURIComponent(site.id)}`);
    },
  });
  const id = domain
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, "")
    .replace(/\/.*$/, "");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ id, domains: [id], timezone });
  };
  if (user && user.role !== "admin") {
    return (
      <section className="card empty">
        <h1>{first ? "No sites yet" : "Only admins add sites"}</h1>
        <p className="muted">An admin adds sites; ask one to add yours, then reload this page.</p>
      </section>
    );
  }
  return (
    <section className="card setup-card">
      <h1>{first ? "Add your first site" : "Add a site"}</h1>
      <p className="muted">
        Sightline counts visits to the sites you add. Give the site's domain; the next page shows
        the snippet to put on it.
      </p>
      <form className="form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="new-site">Domain</label>
          <input
            id="new-site"
            name="domain"
            placeholder="example.com"
            value={domain}
            onChange={(e) => setDomain(e.target.value)}
            required
          />
        </div>
        <div className="field">
          <label htmlFor="new-site-tz">Reporting time zone</label>
          <TimeZoneSelect id="new-site-tz" value={timezone} onChange={setTimezone} />
        </div>
        {create.isError && <ErrorNotice message={errorMessage(create.error)} />}
        <button type="submit" className="button" disabled={!id || create.isPending}>
          {create.isPending ? "Adding…" : "Add site"}
        </button>
      </form>
    </section>
  );
}
