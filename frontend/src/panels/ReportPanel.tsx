import { Link, navigate } from "../router.ts";
import { useScope } from "../state/scope.tsx";
import { DetailsDialog } from "./DetailsDialog.tsx";
import type { PanelDef, TabDef } from "./defs.ts";
import { ReportList } from "./ReportList.tsx";
import { effectiveTab } from "./tabs.ts";

/** A card with tabs, the chosen tab's top 10, and a link to its full, searchable list. */
export function ReportPanel({ panel }: { panel: PanelDef }) {
  const { state, href, go } = useScope();
  const chosen: TabDef =
    panel.tabs.find((t) => t.key === state.tabs[panel.key]) ?? (panel.tabs[0] as TabDef);
  const tab = effectiveTab(chosen, state.filters);
  const detailsKey = `${panel.key}.${chosen.key}`;
  return (
    <section className="card panel" aria-labelledby={`panel-${panel.key}`} data-panel={panel.key}>
      <div className="panel-head">
        <h2 id={`panel-${panel.key}`}>{panel.title}</h2>
        <TabBar
          label={panel.title}
          tabs={panel.tabs}
          chosen={chosen.key}
          hrefFor={(key) => href({ tabs: { ...state.tabs, [panel.key]: key } })}
        />
      </div>
      {!tab.map && (
        <div className="panel-columns" aria-hidden="true">
          <span>{tab.prefix ? `${tab.prefix} ${tab.drill?.label ?? ""}` : chosen.label}</span>
          <span>{tab.columns[0]?.label}</span>
        </div>
      )}
      <ReportList tab={tab} />
      {!tab.map && (
        <Link className="panel-more" to={href({ details: detailsKey })}>
          Details
        </Link>
      )}
      {state.details === detailsKey && (
        <DetailsDialog
          tab={tab}
          title={`${panel.title}: ${chosen.label}`}
          onClose={() => go({ details: null })}
        />
      )}
    </section>
  );
}

export function TabBar({
  label,
  tabs,
  chosen,
  hrefFor,
}: {
  label: string;
  tabs: readonly { key: string; label: string }[];
  chosen: string;
  hrefFor: (key: string) => string;
}) {
  // Many tabs (UTM fields) collapse into a menu; a few stay as links.
  if (tabs.length > 4) {
    return (
      <label className="tab-select">
        <span className="visually-hidden">{label}: show</span>
        <select value={chosen} onChange={(e) => navigate(hrefFor(e.target.value))}>
          {tabs.map((t) => (
            <option key={t.key} value={t.key}>
              {t.label}
            </option>
          ))}
        </select>
      </label>
    );
  }
  return (
    <div className="tabs" role="tablist" aria-label={label}>
      {tabs.map((t) => (
        <Link
          key={t.key}
          role="tab"
          aria-selected={t.key === chosen}
          className="tab"
          to={hrefFor(t.key)}
        >
          {t.label}
        </Link>
      ))}
    </div>
  );
}
