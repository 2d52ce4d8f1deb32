import { type FormEvent, useState } from "react";
import { useQueryApi, useReport } from "../api/reports.ts";
import type { FunnelResult } from "../api/types.ts";
import { FunnelBars } from "../charts/FunnelBars.tsx";
import { useScope } from "../state/scope.tsx";
import { Empty, Notice } from "../ui/Notice.tsx";
import { QueryState } from "../ui/Panel.tsx";
import { Toolbar } from "./Toolbar.tsx";

export interface Step {
  kind: "page" | "event";
  value: string;
}

const WINDOWS = [
  { seconds: 3600, label: "1 hour" },
  { seconds: 86_400, label: "1 day" },
  { seconds: 7 * 86_400, label: "7 days" },
  { seconds: 30 * 86_400, label: "30 days" },
];
const MAX_STEPS = 8;

/** Steps in the URL as JSON: `x.steps=[{"page":"/"},{"event":"signup"}]`. */
export function readSteps(text: string | undefined): Step[] {
  try {
    const list = JSON.parse(text ?? "[]") as { page?: unknown; event?: unknown }[];
    return list.flatMap((s): Step[] =>
      typeof s.page === "string"
        ? [{ kind: "page", value: s.page }]
        : typeof s.event === "string"
          ? [{ kind: "event", value: s.event }]
          : [],
    );
  } catch {
    return [];
  }
}

export function writeSteps(steps: readonly Step[]): string {
  return JSON.stringify(steps.map((s) => ({ [s.kind]: s.value })));
}

/** Define the steps of a funnel, then see how many visitors reach each and where they drop off. */
export default function FunnelsPage() {
  const { state, go, range, filters, resolved } = useScope();
  const steps = readSteps(state.extra.steps);
  const window = Number(state.extra.window) || 86_400;
  const ready = steps.length >= 2 && steps.every((s) => s.value.trim() !== "");
  const funnel = useReport<FunnelResult>(
    "funnel",
    ready && !resolved.tooLong
      ? {
          ...range,
          filters,
          window,
          steps: steps.map((s) => (s.kind === "page" ? { page: s.value } : { event: s.value })),
        }
      : null,
  );
  return (
    <>
      <Toolbar compare={false} />
      <section className="card">
        <div className="card-head">
          <h1>Funnel</h1>
        </div>
        <StepsEditor
          key={state.extra.steps ?? ""}
          initial={
            steps.length
              ? steps
              : [
                  { kind: "page", value: "/" },
                  { kind: "page", value: "" },
                ]
          }
          window={window}
          onApply={(next, w) =>
            go({ extra: { ...state.extra, steps: writeSteps(next), window: String(w) } })
          }
        />
      </section>
      {resolved.tooLong ? (
        <Notice>{resolved.tooLong}</Notice>
      ) : !ready ? (
        <Notice>
          Give at least two steps, each a page path (such as /pricing) or an event name (such as
          signup), and apply. A visitor counts at a step when they reach it after the steps before
          it, within the window.
        </Notice>
      ) : (
        <section className="card" aria-labelledby="funnel-result">
          <h2 id="funnel-result" className="visually-hidden">
            Funnel result
          </h2>
          <QueryState query={funnel}>
            {() => {
              const result = funnel.data?.steps ?? [];
              if (!result.length || result[0]?.visitors === 0)
                return <Empty>No visitor reached the first step in this period.</Empty>;
              return <FunnelBars steps={result} />;
            }}
          </QueryState>
        </section>
      )}
    </>
  );
}

function StepsEditor({
  initial,
  window,
  onApply,
}: {
  initial: Step[];
  window: number;
  onApply: (steps: Step[], window: number) => void;
}) {
  const { range, filters } = useScope();
  const [steps, setSteps] = useState(initial);
  const [win, setWin] = useState(window);
  // Suggestions for the value fields: the period's top pages and event names.
  const pages = useQueryApi({
    ...range,
    filters,
    dimensions: ["page"],
    metrics: ["visitors"],
    limit: 50,
  });
  const events = useQueryApi({
    ...range,
    filters,
    dimensions: ["event"],
    metrics: ["events"],
    limit: 50,
  });
  const set = (i: number, patch: Partial<Step>) =>
    setSteps(steps.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(
      steps.map((s) => ({ ...s, value: s.value.trim() })),
      win,
    );
  };
  return (
    <form className="steps-editor" onSubmit={submit} aria-label="Funnel steps">
      <datalist id="funnel-pages">
        {(pages.data?.rows ?? []).map((r) => (
          <option key={String(r.page)} value={String(r.page)} />
        ))}
      </datalist>
      <datalist id="funnel-events">
        {(events.data?.rows ?? []).map((r) => (
          <option key={String(r.event)} value={String(r.event)} />
        ))}
      </datalist>
      <ol className="step-list">
        {steps.map((s, i) => (
          // Steps have no identity but their place; editing keeps the place.
          // biome-ignore lint/suspicious/noArrayIndexKey: a step is its position in the funnel
          <li key={i} className="step-row">
            <span className="funnel-index">{i + 1}</span>
            <select
              aria-label={`Step ${i + 1} kind`}
              value={s.kind}
              onChange={(e) => set(i, { kind: e.target.value as Step["kind"] })}
            >
              <option value="page">Visited page</option>
              <option value="event">Sent event</option>
            </select>
            <input
              aria-label={`Step ${i + 1} ${s.kind === "page" ? "page path" : "event name"}`}
              list={s.kind === "page" ? "funnel-pages" : "funnel-events"}
              placeholder={s.kind === "page" ? "/pricing" : "signup"}
              value={s.value}
              onChange={(e) => set(i, { value: e.target.value })}
            />
            <button
              type="button"
              className="icon-button"
              aria-label={`Remove step ${i + 1}`}
              disabled={steps.length <= 2}
              onClick={() => setSteps(steps.filter((_, j) => j !== i))}
            >
              ×
            </button>
          </li>
        ))}
      </ol>
      <div className="form-actions form-actions-start">
        <button
          type="button"
          className="button button-secondary"
          disabled={steps.length >= MAX_STEPS}
          onClick={() => setSteps([...steps, { kind: "page", value: "" }])}
        >
          + Add step
        </button>
        <label className="inline-field">
          Within
          <select value={win} onChange={(e) => setWin(Number(e.target.value))} aria-label="Window">
            {WINDOWS.map((w) => (
              <option key={w.seconds} value={w.seconds}>
                {w.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button">
          Apply
        </button>
      </div>
    </form>
  );
}
