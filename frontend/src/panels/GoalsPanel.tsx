import { useReport } from "../api/reports.ts";
import type { PropertyKeys, QueryResult } from "../api/types.ts";
import { formatCount, formatMoney } from "../lib/format.ts";
import { Link } from "../router.ts";
import { useScope } from "../state/scope.tsx";
import { Empty } from "../ui/Notice.tsx";
import { QueryState } from "../ui/Panel.tsx";
import { DetailsDialog } from "./DetailsDialog.tsx";
import { GOALS_TAB, type TabDef } from "./defs.ts";
import { ReportList } from "./ReportList.tsx";
import { TabBar } from "./ReportPanel.tsx";
import { effectiveTab } from "./tabs.ts";

const TABS = [
  { key: "goals", label: "Goals" },
  { key: "properties", label: "Properties" },
  { key: "revenue", label: "Revenue" },
];

/** Custom events (goals) with their property breakdowns, and revenue per currency. */
export function GoalsPanel() {
  const { state, href, go } = useScope();
  const chosen = TABS.find((t) => t.key === state.tabs.goals)?.key ?? "goals";
  return (
    <section className="card panel" aria-labelledby="panel-goals" data-panel="goals">
      <div className="panel-head">
        <h2 id="panel-goals">Goals and events</h2>
        <TabBar
          label="Goals and events"
          tabs={TABS}
          chosen={chosen}
          hrefFor={(key) => href({ tabs: { ...state.tabs, goals: key } })}
        />
      </div>
      {chosen === "goals" && (
        <>
          <div className="panel-columns" aria-hidden="true">
            <span>Goal</span>
            <span>Uniques</span>
          </div>
          <ReportList tab={GOALS_TAB} />
          <Link className="panel-more" to={href({ details: "goals.goals" })}>
            Details
          </Link>
          {state.details === "goals.goals" && (
            <DetailsDialog tab={GOALS_TAB} title="Goals" onClose={() => go({ details: null })} />
          )}
        </>
      )}
      {chosen === "properties" && <Properties />}
      {chosen === "revenue" && <Revenue />}
    </section>
  );
}

/** One event's property values: pick the event and the property, then read the breakdown. */
function Properties() {
  const { state, go, range, filters } = useScope();
  const goals = useReport<QueryResult>("events", { ...range, filters, limit: 100 });
  const events = (goals.data?.rows ?? [])
    .map((r) => String(r.event ?? ""))
    .filter((name) => !GOALS_TAB.where?.some((w) => w.value === name));
  const event =
    state.extra.event && events.includes(state.extra.event) ? state.extra.event : events[0];
  const keys = useReport<PropertyKeys>(
    "properties",
    event ? { ...range, filters, event, limit: 50 } : null,
  );
  const keyList = keys.data?.keys.map((k) => k.key) ?? [];
  const key =
    state.extra.prop && keyList.includes(state.extra.prop) ? state.extra.prop : keyList[0];
  const tab: TabDef | null =
    event && key
      ? {
          key: `prop-${event}-${key}`,
          label: key,
          dimension: `prop:${key}`,
          columns: GOALS_TAB.columns,
          where: [{ dimension: "event", op: "is", value: event }],
          filterFor: (value) => ({ dimension: `prop:${key}`, op: "is", value }),
          empty: `No ${event} events carried ${key} in this period.`,
        }
      : null;
  return (
    <QueryState query={goals}>
      {() =>
        events.length === 0 ? (
          <Empty>
            No custom events in this period, so no properties either. Send properties with
            sightline("track", "signup", {"{"} plan: "pro" {"}"}).
          </Empty>
        ) : (
          <>
            <div className="panel-pickers">
              <label>
                <span className="visually-hidden">Event</span>
                <select
                  name="event"
                  value={event}
                  onChange={(e) =>
                    go(
                      { extra: { ...state.extra, event: e.target.value, prop: "" } },
                      { replace: true },
                    )
                  }
                >
                  {events.map((name) => (
                    <option key={name} value={name}>
                      {name}
                    </option>
                  ))}
                </select>
              </label>
              {keyList.length > 0 && (
                <label>
                  <span className="visually-hidden">Property</span>
                  <select
                    name="property"
                    value={key}
                    onChange={(e) =>
                      go({ extra: { ...state.extra, prop: e.target.value } }, { replace: true })
                    }
                  >
                    {keyList.map((k) => (
                      <option key={k} value={k}>
                        {k}
                      </option>
                    ))}
                  </select>
                </label>
              )}
            </div>
            {tab ? (
              <ReportList tab={effectiveTab(tab, state.filters)} />
            ) : (
              <Empty>
                {keys.isPending
                  ? "Loading properties…"
                  : `${event} events carry no properties in this period.`}
              </Empty>
            )}
          </>
        )
      }
    </QueryState>
  );
}

function Revenue() {
  const { range, filters } = useScope();
  const revenue = useReport<QueryResult>("revenue", { ...range, filters });
  return (
    <QueryState query={revenue}>
      {() => {
        const rows = revenue.data?.rows ?? [];
        if (rows.length === 0)
          return (
            <Empty>
              No revenue in this period. Send it with an event: sightline("track", "purchase",{" "}
              {"{}"},{"{"} amount: 49, currency: "EUR" {"}"}).
            </Empty>
          );
        return (
          <ul className="bars" aria-label="Revenue">
            {rows.map((r) => (
              <li key={String(r.currency)} className="bar-row" data-testid="revenue-row">
                <span className="bar-label">{String(r.currency)}</span>
                <span className="bar-value">
                  {formatMoney(Number(r.revenue ?? 0), String(r.currency))} ·{" "}
                  {formatCount(Number(r.events ?? 0))} events
                </span>
              </li>
            ))}
          </ul>
        );
      }}
    </QueryState>
  );
}
