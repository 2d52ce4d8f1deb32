import { useMemo } from "react";
import { errorMessage } from "../api/client.ts";
import { useMe, useSites } from "../api/queries.ts";
import type { Site } from "../api/types.ts";
import { ErrorNotice, Loading } from "../ui/Notice.tsx";
import { AppHeader } from "./AppHeader.tsx";
import { browserTimeZone, resolveRange } from "./dateRange.ts";
import { pickSite } from "./params.ts";
import { RangePicker } from "./RangePicker.tsx";
import { SiteOverview } from "./SiteOverview.tsx";
import { useDashboardParams } from "./useDashboardParams.ts";

export function DashboardPage() {
  const me = useMe();
  const sites = useSites();

  return (
    <div className="app">
      <AppHeader user={me.data} />
      <main className="page">
        {sites.isPending ? (
          <Loading>Loading sites…</Loading>
        ) : sites.isError ? (
          <ErrorNotice message={errorMessage(sites.error)} onRetry={() => sites.refetch()} />
        ) : sites.data.sites.length === 0 ? (
          <EmptyState />
        ) : (
          <Report sites={sites.data.sites} />
        )}
      </main>
    </div>
  );
}

function Report({ sites }: { sites: Site[] }) {
  const { params, rememberedSite, update } = useDashboardParams();
  // Read once: the browser's zone does not change under a running page often enough to watch.
  const tz = useMemo(browserTimeZone, []);
  const site = pickSite(sites, params.site, rememberedSite) ?? "";
  const range = resolveRange(params.range);

  return (
    <>
      <div className="toolbar">
        <div className="field">
          <label htmlFor="site">Site</label>
          <select
            id="site"
            name="site"
            value={site}
            onChange={(e) => update({ site: e.target.value })}
          >
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name === s.id ? s.id : `${s.name} (${s.id})`}
              </option>
            ))}
          </select>
        </div>
        <RangePicker
          value={params.range}
          range={range}
          onChange={(next) => update({ range: next })}
        />
      </div>
      <SiteOverview query={{ site, from: range.from, to: range.to, tz }} />
    </>
  );
}

function EmptyState() {
  return (
    <section className="card empty">
      <h2>
        No sites yet — run <code>pnpm demo</code> or add a site
      </h2>
      <p className="muted">
        Once a site exists and its tracker sends events, its visitors and pageviews show up here.
      </p>
    </section>
  );
}
