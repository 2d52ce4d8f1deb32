import { lazy, Suspense } from "react";
import { useQueryApi, useReport } from "../api/reports.ts";
import type {
  FunnelResult,
  JourneysResult,
  QueryResult,
  QuerySpec,
  RetentionResult,
} from "../api/types.ts";
import type { Visual, WidgetSource } from "../boards/model.ts";
import { FunnelBars } from "../charts/FunnelBars.tsx";
import { RetentionGrid } from "../charts/RetentionGrid.tsx";
import { ErrorBoundary } from "../ui/ErrorBoundary.tsx";
import { Empty, ErrorNotice, Loading } from "../ui/Notice.tsx";
import { QueryState } from "../ui/Panel.tsx";
import { metricColumns } from "./format.ts";
import { NumberVisual } from "./NumberVisual.tsx";
import { SeriesVisual } from "./SeriesVisual.tsx";
import { TableVisual } from "./TableVisual.tsx";

// Each visual type is a component of its own; those drawn by ECharts or markdown load on demand.
const EChartsVisual = lazy(() => import("./EChartsVisual.tsx"));
const MapVisual = lazy(() => import("./MapVisual.tsx"));
const Sankey = lazy(() => import("../charts/Sankey.tsx"));
const TextVisual = lazy(() => import("./TextVisual.tsx"));

/** A widget's data (already with the viewer's range and filters) drawn as its visual. */
export function WidgetView({ source, visual }: { source: WidgetSource; visual: Visual }) {
  return (
    <ErrorBoundary fallback={<ErrorNotice message="This widget could not be drawn." />}>
      <Suspense fallback={<Loading>Loading…</Loading>}>
        {source.kind === "query" ? (
          <QueryWidget spec={source.spec} visual={visual} />
        ) : source.kind === "funnel" ? (
          <ReportWidget<FunnelResult>
            name="funnel"
            body={source.body}
            draw={(d) =>
              d.steps[0]?.visitors ? (
                <FunnelBars steps={d.steps} />
              ) : (
                <Empty>No visitor reached the first step in this period.</Empty>
              )
            }
          />
        ) : source.kind === "retention" ? (
          <ReportWidget<RetentionResult>
            name="retention"
            body={source.body}
            draw={(d) =>
              d.cohorts.length ? (
                <RetentionGrid cohorts={d.cohorts} period={d.period} />
              ) : (
                <Empty>No visitors in this period, so no cohorts.</Empty>
              )
            }
          />
        ) : source.kind === "journeys" ? (
          <ReportWidget<JourneysResult>
            name="journeys"
            body={source.body}
            draw={(d) =>
              d.paths.length ? (
                <Sankey
                  page={d.page}
                  direction={d.direction}
                  steps={source.body.steps ?? 3}
                  paths={d.paths}
                />
              ) : (
                <Empty>No visit went through {d.page} in this period.</Empty>
              )
            }
          />
        ) : (
          <TextVisual markdown={visual.options?.markdown ?? ""} />
        )}
      </Suspense>
    </ErrorBoundary>
  );
}

function ReportWidget<T>({
  name,
  body,
  draw,
}: {
  name: string;
  body: object;
  draw: (data: T) => React.ReactNode;
}) {
  const report = useReport<T>(name, body);
  return <QueryState query={report}>{() => (report.data ? draw(report.data) : null)}</QueryState>;
}

function QueryWidget({ spec, visual }: { spec: QuerySpec; visual: Visual }) {
  // A number is the total of the range; its time bucket only draws the sparkline beside it.
  const { granularity: _bucket, ...totalSpec } = spec;
  const main = useQueryApi(visual.type === "number" ? totalSpec : spec);
  const trend = useQueryApi(
    visual.type === "number" && spec.granularity ? { ...spec, compare: undefined } : null,
  );
  return (
    <QueryState query={main}>
      {() => {
        const result = main.data as QueryResult;
        if (result.rows.length === 0) return <Empty>No data in this period.</Empty>;
        switch (visual.type) {
          case "number":
            return (
              <NumberVisual
                result={result}
                trend={trend.data}
                options={visual.options}
                formats={metricColumns(result, spec.metrics).map((c) => c.format)}
                compare={spec.compare}
              />
            );
          case "line":
          case "area":
            return <SeriesVisual spec={spec} result={result} visual={visual} />;
          case "table":
            return <TableVisual result={result} granularity={spec.granularity} />;
          case "map":
            return <MapVisual result={result} />;
          default:
            return (
              <EChartsVisual
                type={visual.type}
                result={result}
                options={visual.options}
                granularity={spec.granularity}
              />
            );
        }
      }}
    </QueryState>
  );
}
