import { Panels } from "../panels/Panels.tsx";
import { useScope } from "../state/scope.tsx";
import { Notice } from "../ui/Notice.tsx";
import { MainGraph } from "./dashboard/MainGraph.tsx";
import { TopStats } from "./dashboard/TopStats.tsx";
import { Toolbar } from "./Toolbar.tsx";

/** One site's dashboard: headline numbers, the main chart and every report panel. */
export function DashboardPage() {
  const { resolved } = useScope();
  return (
    <>
      <Toolbar />
      {resolved.tooLong ? (
        <Notice>{resolved.tooLong}</Notice>
      ) : (
        <>
          <section className="card top-card" aria-label="Headline metrics and chart">
            <TopStats />
            <MainGraph />
          </section>
          <Panels />
        </>
      )}
    </>
  );
}
