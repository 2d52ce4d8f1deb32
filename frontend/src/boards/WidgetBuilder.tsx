import { type FormEvent, useEffect, useMemo, useState } from "react";
import { useSites } from "../api/queries.ts";
import type { ApiFilter, ApiMetric } from "../api/types.ts";
import { dimensionLabel } from "../state/dimensions.ts";
import { FILTER_OPS } from "../state/filters.ts";
import { type Granularity, PERIODS } from "../state/periods.ts";
import { Dialog } from "../ui/Dialog.tsx";
import { Loading } from "../ui/Notice.tsx";
import { fittingTypes, shapeOf, VISUALS } from "../visuals/registry.ts";
import { WidgetView } from "../visuals/WidgetView.tsx";
import { type Draft, draftOf, widgetOf } from "./draft.ts";
import { type QueryMeta, useQueryMeta } from "./meta.ts";
import { type Board, PINNABLE, type PinnedPeriod, type VisualType, type Widget } from "./model.ts";
import { baseSpec, type NewWidget, widgetTemplates } from "./templates.ts";
import { drawnSource, type Viewer } from "./viewer.ts";

const PREVIEW_DELAY_MS = 400;
const SOURCES: { kind: Draft["kind"]; label: string }[] = [
  { kind: "query", label: "Metrics" },
  { kind: "funnel", label: "Funnel" },
  { kind: "retention", label: "Retention" },
  { kind: "journeys", label: "Journey" },
  { kind: "none", label: "Note" },
];

/**
 * Build a widget by picking: source, sites, metrics, breakdowns, filters, time bucket and
 * visual, with a preview that follows every choice. New widgets start from a gallery of templates.
 */
export function WidgetBuilder({
  board,
  widget,
  viewer,
  onClose,
  onSave,
}: {
  board: Board;
  widget: Widget | null;
  viewer: Viewer;
  onClose: () => void;
  onSave: (widget: NewWidget | Widget, size: { w: number; h: number }) => void;
}) {
  const sites = (useSites().data?.sites ?? []).filter((s) => board.sites.includes(s.id));
  const meta = useQueryMeta();
  const templates = useMemo(() => widgetTemplates(sites), [sites]);
  const [draft, setDraft] = useState<Draft | null>(() =>
    widget ? draftOf(widget, baseSpec(sites)) : null,
  );
  const [size, setSize] = useState({ w: 6, h: 6 });
  const title = widget ? `Edit ${widget.name}` : "Add a widget";

  if (!draft) {
    return (
      <Dialog title={title} onClose={onClose} wide>
        <p className="muted">Start from a template; every choice can be changed next.</p>
        <div className="gallery" data-testid="template-gallery">
          {templates.map((t) => (
            <button
              key={t.key}
              type="button"
              className="gallery-item"
              data-template={t.key}
              onClick={() => {
                setDraft(draftOf(t.widget, baseSpec(sites)));
                setSize(t.size);
              }}
            >
              <strong>{t.label}</strong>
              <span className="muted">
                {VISUALS.find((v) => v.type === t.widget.visual.type)?.label}
              </span>
            </button>
          ))}
        </div>
      </Dialog>
    );
  }
  return (
    <Dialog title={title} onClose={onClose} wide>
      {meta.isPending ? (
        <Loading>Loading the metrics…</Loading>
      ) : (
        <Editor
          draft={draft}
          setDraft={setDraft}
          meta={meta.data}
          siteOptions={sites.map((s) => ({ id: s.id, name: s.name }))}
          viewer={viewer}
          onCancel={onClose}
          onSave={() => onSave(widgetOf(draft), size)}
        />
      )}
    </Dialog>
  );
}

function Editor({
  draft,
  setDraft,
  meta,
  siteOptions,
  viewer,
  onCancel,
  onSave,
}: {
  draft: Draft;
  setDraft: (d: Draft) => void;
  meta: QueryMeta | undefined;
  siteOptions: { id: string; name: string }[];
  viewer: Viewer;
  onCancel: () => void;
  onSave: () => void;
}) {
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const built = widgetOf(draft);
  const fitting = fittingTypes(built.source);
  const shape = shapeOf(built.source);
  // A visual that no longer fits the data gives way to the first one that does.
  useEffect(() => {
    const first = fitting[0];
    if (first && !fitting.includes(draft.visual.type))
      setDraft({ ...draft, visual: { type: first, options: draft.visual.options } });
  }, [fitting, draft, setDraft]);

  // The preview waits for a pause in the editing before it asks the server.
  const [preview, setPreview] = useState(built);
  const key = JSON.stringify(built);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `built`
  useEffect(() => {
    const t = setTimeout(() => setPreview(built), PREVIEW_DELAY_MS);
    return () => clearTimeout(t);
  }, [key]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSave();
  };
  const opts = draft.visual.options ?? {};
  const setOpts = (patch: Partial<typeof opts>) =>
    set({ visual: { ...draft.visual, options: { ...opts, ...patch } } });
  const metricDefs = meta?.metrics ?? [];

  return (
    <form className="builder" onSubmit={submit} aria-label="Widget">
      <div className="builder-form">
        <div className="field">
          <label htmlFor="w-name">Name</label>
          <input
            id="w-name"
            name="name"
            value={draft.name}
            maxLength={100}
            onChange={(e) => set({ name: e.target.value })}
          />
        </div>
        <fieldset className="field">
          <legend>Data</legend>
          <div className="tabs" role="radiogroup" aria-label="Data">
            {SOURCES.map((s) => (
              <label key={s.kind} className={`tab${draft.kind === s.kind ? " tab-on" : ""}`}>
                <input
                  type="radio"
                  name="kind"
                  className="visually-hidden"
                  checked={draft.kind === s.kind}
                  onChange={() => set({ kind: s.kind })}
                />
                {s.label}
              </label>
            ))}
          </div>
        </fieldset>
        {draft.kind !== "none" && siteOptions.length > 1 && (
          <fieldset className="field">
            <legend>Sites</legend>
            {siteOptions.map((s) => (
              <label key={s.id} className="inline-field">
                <input
                  type="checkbox"
                  checked={draft.sites.includes(s.id)}
                  onChange={(e) =>
                    set({
                      sites: e.target.checked
                        ? [...draft.sites, s.id]
                        : draft.sites.filter((x) => x !== s.id),
                    })
                  }
                />
                {s.name}
              </label>
            ))}
          </fieldset>
        )}
        {draft.kind === "query" && (
          <>
            <MetricsField
              metrics={draft.metrics}
              defs={metricDefs}
              max={meta?.limits.metrics ?? 20}
              onChange={(metrics) => set({ metrics })}
            />
            <DimensionsField
              dimensions={draft.dimensions}
              defs={meta?.dimensions ?? []}
              onChange={(dimensions) => set({ dimensions })}
            />
            <FiltersField
              filters={draft.filters}
              defs={meta?.dimensions ?? []}
              onChange={(filters) => set({ filters })}
            />
            <div className="field-row">
              <div className="field">
                <label htmlFor="w-granularity">Over time</label>
                <select
                  id="w-granularity"
                  value={draft.granularity}
                  onChange={(e) => set({ granularity: e.target.value as Granularity | "" })}
                >
                  <option value="">No, totals</option>
                  {(meta?.granularities ?? []).map((g) => (
                    <option key={g.name} value={g.name}>
                      By {g.name}
                    </option>
                  ))}
                </select>
              </div>
              {!draft.granularity && (
                <div className="field">
                  <label htmlFor="w-limit">Rows</label>
                  <input
                    id="w-limit"
                    type="number"
                    min={1}
                    max={meta?.limits.limit ?? 10_000}
                    value={draft.limit}
                    onChange={(e) => set({ limit: Math.max(1, Number(e.target.value) || 1) })}
                  />
                </div>
              )}
            </div>
          </>
        )}
        {draft.kind === "funnel" && (
          <fieldset className="field">
            <legend>Steps</legend>
            {draft.steps.map((s, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a step is its position in the funnel
              <div key={i} className="step-row">
                <span className="funnel-index">{i + 1}</span>
                <select
                  aria-label={`Step ${i + 1} kind`}
                  value={s.kind}
                  onChange={(e) =>
                    set({
                      steps: draft.steps.map((x, j) =>
                        j === i ? { ...x, kind: e.target.value as "page" | "event" } : x,
                      ),
                    })
                  }
                >
                  <option value="page">Visited page</option>
                  <option value="event">Sent event</option>
                </select>
                <input
                  aria-label={`Step ${i + 1} value`}
                  value={s.value}
                  onChange={(e) =>
                    set({
                      steps: draft.steps.map((x, j) =>
                        j === i ? { ...x, value: e.target.value } : x,
                      ),
                    })
                  }
                />
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Remove step ${i + 1}`}
                  disabled={draft.steps.length <= 2}
                  onClick={() => set({ steps: draft.steps.filter((_, j) => j !== i) })}
                >
                  ×
                </button>
              </div>
            ))}
            <button
              type="button"
              className="button button-secondary button-small"
              disabled={draft.steps.length >= 8}
              onClick={() => set({ steps: [...draft.steps, { kind: "page", value: "" }] })}
            >
              + Step
            </button>
          </fieldset>
        )}
        {draft.kind === "retention" && (
          <div className="field">
            <label htmlFor="w-retention">Cohorts by</label>
            <select
              id="w-retention"
              value={draft.retention}
              onChange={(e) => set({ retention: e.target.value as "day" | "week" })}
            >
              <option value="week">week</option>
              <option value="day">day</option>
            </select>
          </div>
        )}
        {draft.kind === "journeys" && (
          <div className="field-row">
            <div className="field">
              <label htmlFor="w-dir">Paths</label>
              <select
                id="w-dir"
                value={draft.direction}
                onChange={(e) => set({ direction: e.target.value as "after" | "before" })}
              >
                <option value="after">after</option>
                <option value="before">before</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="w-page">the page</label>
              <input
                id="w-page"
                value={draft.page}
                onChange={(e) => set({ page: e.target.value })}
              />
            </div>
          </div>
        )}
        {draft.kind === "none" && (
          <div className="field">
            <label htmlFor="w-markdown">Note (Markdown)</label>
            <textarea
              id="w-markdown"
              rows={8}
              value={opts.markdown ?? ""}
              onChange={(e) => setOpts({ markdown: e.target.value })}
            />
          </div>
        )}
        <fieldset className="field">
          <legend>Draw as</legend>
          <div className="visual-picker">
            {VISUALS.map((v) => {
              const why = v.fits(shape);
              return (
                <button
                  key={v.type}
                  type="button"
                  className="visual-choice"
                  aria-pressed={draft.visual.type === v.type}
                  disabled={why !== null}
                  title={why ? `${v.label} ${why}` : v.needs}
                  data-visual={v.type}
                  onClick={() => set({ visual: { ...draft.visual, type: v.type as VisualType } })}
                >
                  {v.label}
                </button>
              );
            })}
          </div>
        </fieldset>
        <VisualOptions type={draft.visual.type} options={opts} onChange={setOpts} />
        {draft.kind !== "none" && (
          <div className="field">
            <label htmlFor="w-pinned">Period</label>
            <select
              id="w-pinned"
              value={draft.pinned}
              onChange={(e) => set({ pinned: e.target.value as PinnedPeriod | "" })}
            >
              <option value="">The dashboard's (the viewer picks)</option>
              {PINNABLE.map((p) => (
                <option key={p} value={p}>
                  Always {PERIODS.find((x) => x.key === p)?.label.toLowerCase() ?? p}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      <div className="builder-preview">
        <h3 className="kpi-label">Preview</h3>
        <div className="card widget widget-preview" data-testid="widget-preview">
          <div className="widget-head">
            <h2 className="widget-title">{preview.name}</h2>
          </div>
          <div className="widget-body">
            <WidgetView
              source={drawnSource({ ...preview, id: "preview" }, viewer)}
              visual={preview.visual}
            />
          </div>
        </div>
        <div className="form-actions">
          <button type="button" className="button button-secondary" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="button" disabled={fitting.length === 0}>
            Save widget
          </button>
        </div>
      </div>
    </form>
  );
}

function MetricsField({
  metrics,
  defs,
  max,
  onChange,
}: {
  metrics: ApiMetric[];
  defs: QueryMeta["metrics"];
  max: number;
  onChange: (m: ApiMetric[]) => void;
}) {
  const [adding, setAdding] = useState(defs[0]?.name ?? "visitors");
  const nameOf = (m: ApiMetric) => (typeof m === "string" ? m : m.name);
  const defOf = (name: string) => defs.find((d) => d.name === name);
  const update = (i: number, m: ApiMetric) => onChange(metrics.map((x, j) => (j === i ? m : x)));
  return (
    <fieldset className="field">
      <legend>Metrics</legend>
      {metrics.map((m, i) => {
        const def = defOf(nameOf(m));
        const obj = typeof m === "string" ? { name: m } : m;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: the same metric may appear twice with labels
          <div key={i} className="metric-row" data-testid="metric-row">
            <span className="chip-text">{def?.label ?? nameOf(m)}</span>
            {def?.needs?.includes("goal") && (
              <input
                aria-label="Goal (page path or event name)"
                placeholder="/pricing or signup"
                value={"goal" in obj ? (obj.goal?.page ?? obj.goal?.event ?? "") : ""}
                onChange={(e) => {
                  const v = e.target.value;
                  update(i, {
                    ...obj,
                    name: obj.name,
                    goal: v.startsWith("/") ? { page: v } : { event: v },
                  } as ApiMetric);
                }}
              />
            )}
            {def?.needs?.includes("property") && (
              <input
                aria-label="Property"
                placeholder="property"
                value={"property" in obj ? (obj.property ?? "") : ""}
                onChange={(e) => update(i, { ...obj, property: e.target.value } as ApiMetric)}
              />
            )}
            {def?.needs?.includes("q") && (
              <input
                aria-label="Quantile"
                type="number"
                step={0.05}
                min={0.01}
                max={0.99}
                value={"q" in obj ? (obj.q ?? 0.5) : 0.5}
                onChange={(e) => update(i, { ...obj, q: Number(e.target.value) } as ApiMetric)}
              />
            )}
            <button
              type="button"
              className="icon-button"
              aria-label={`Remove ${def?.label ?? nameOf(m)}`}
              disabled={metrics.length <= 1}
              onClick={() => onChange(metrics.filter((_, j) => j !== i))}
            >
              ×
            </button>
          </div>
        );
      })}
      <div className="inline-form">
        <select
          aria-label="Metric to add"
          value={adding}
          onChange={(e) => setAdding(e.target.value)}
        >
          {defs.map((d) => (
            <option key={d.name} value={d.name}>
              {d.label}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button button-secondary button-small"
          disabled={metrics.length >= max}
          onClick={() => {
            const def = defOf(adding);
            onChange([
              ...metrics,
              def?.needs?.length
                ? ({
                    name: adding,
                    ...(def.needs.includes("q") ? { q: 0.5 } : {}),
                    ...(def.needs.includes("property") ? { property: "value" } : {}),
                    ...(def.needs.includes("goal") ? { goal: { event: "signup" } } : {}),
                  } as ApiMetric)
                : (adding as ApiMetric),
            ]);
          }}
        >
          + Metric
        </button>
      </div>
    </fieldset>
  );
}

function DimensionsField({
  dimensions,
  defs,
  onChange,
}: {
  dimensions: string[];
  defs: QueryMeta["dimensions"];
  onChange: (d: string[]) => void;
}) {
  const slot = (i: number) => {
    const value = dimensions[i] ?? "";
    const isProp = value.startsWith("prop:");
    return (
      <div className="inline-form" key={i}>
        <select
          aria-label={i === 0 ? "Break down by" : "Then by"}
          value={isProp ? "prop:" : value}
          onChange={(e) => {
            const v = e.target.value;
            const next = [...dimensions];
            if (!v) next.splice(i);
            else next[i] = v === "prop:" ? "prop:plan" : v;
            onChange(next.filter(Boolean));
          }}
        >
          <option value="">{i === 0 ? "No breakdown" : "No second breakdown"}</option>
          {defs.map((d) => (
            <option key={d.name} value={d.name}>
              {dimensionLabel(d.name)}
            </option>
          ))}
          <option value="prop:">An event property…</option>
        </select>
        {isProp && (
          <input
            aria-label="Property key"
            value={value.slice(5)}
            onChange={(e) => {
              const next = [...dimensions];
              next[i] = `prop:${e.target.value}`;
              onChange(next);
            }}
          />
        )}
      </div>
    );
  };
  return (
    <fieldset className="field">
      <legend>Break down by</legend>
      {slot(0)}
      {dimensions.length >= 1 && slot(1)}
    </fieldset>
  );
}

function FiltersField({
  filters,
  defs,
  onChange,
}: {
  filters: Draft["filters"];
  defs: QueryMeta["dimensions"];
  onChange: (f: Draft["filters"]) => void;
}) {
  const update = (i: number, patch: Partial<Draft["filters"][number]>) =>
    onChange(filters.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  return (
    <fieldset className="field">
      <legend>Only where</legend>
      {filters.map((f, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a condition is its position in the list
        <div key={i} className="inline-form filter-row">
          <select
            aria-label="Filter dimension"
            value={f.dimension}
            onChange={(e) => update(i, { dimension: e.target.value })}
          >
            {defs.map((d) => (
              <option key={d.name} value={d.name}>
                {dimensionLabel(d.name)}
              </option>
            ))}
          </select>
          <select
            aria-label="Filter condition"
            value={f.op}
            onChange={(e) => update(i, { op: e.target.value as ApiFilter["op"] })}
          >
            {FILTER_OPS.map((o) => (
              <option key={o.op} value={o.op}>
                {o.label}
              </option>
            ))}
          </select>
          <input
            aria-label="Filter value"
            value={f.value}
            onChange={(e) => update(i, { value: e.target.value })}
          />
          <button
            type="button"
            className="icon-button"
            aria-label="Remove condition"
            onClick={() => onChange(filters.filter((_, j) => j !== i))}
          >
            ×
          </button>
        </div>
      ))}
      <button
        type="button"
        className="button button-secondary button-small"
        onClick={() => onChange([...filters, { dimension: "page", op: "is", value: "" }])}
      >
        + Condition
      </button>
    </fieldset>
  );
}

function VisualOptions({
  type,
  options,
  onChange,
}: {
  type: VisualType;
  options: NonNullable<Draft["visual"]["options"]>;
  onChange: (patch: Partial<NonNullable<Draft["visual"]["options"]>>) => void;
}) {
  const colorable = !["table", "text", "funnel", "retention", "sankey", "map", "heatmap"].includes(
    type,
  );
  return (
    <fieldset className="field visual-options">
      <legend>Options</legend>
      {(type === "number" || type === "line" || type === "area") && (
        <label className="inline-field">
          <input
            type="checkbox"
            checked={options.comparison === true}
            onChange={(e) => onChange({ comparison: e.target.checked })}
          />
          Compare with the viewer's comparison (the previous period by default)
        </label>
      )}
      {type === "bar" && (
        <>
          <label className="inline-field">
            <input
              type="checkbox"
              checked={options.horizontal === true}
              onChange={(e) => onChange({ horizontal: e.target.checked })}
            />
            Horizontal
          </label>
          <label className="inline-field">
            <input
              type="checkbox"
              checked={options.stacked === true}
              onChange={(e) => onChange({ stacked: e.target.checked })}
            />
            Stack the metrics
          </label>
        </>
      )}
      {type === "pie" && (
        <label className="inline-field">
          <input
            type="checkbox"
            checked={options.donut === true}
            onChange={(e) => onChange({ donut: e.target.checked })}
          />
          Donut
        </label>
      )}
      {["line", "area", "bar", "stacked_bar", "pie"].includes(type) && (
        <label className="inline-field">
          Show the top
          <input
            type="number"
            min={1}
            max={100}
            value={options.topN ?? (type === "line" || type === "area" ? 5 : 10)}
            onChange={(e) =>
              onChange({ topN: Math.min(100, Math.max(1, Number(e.target.value) || 1)) })
            }
          />
        </label>
      )}
      {type === "number" && (
        <label className="inline-field">
          Colour the number from
          <input
            type="number"
            aria-label="Threshold value"
            value={options.thresholds?.[0]?.value ?? ""}
            onChange={(e) =>
              onChange({
                thresholds:
                  e.target.value === ""
                    ? []
                    : [
                        {
                          value: Number(e.target.value),
                          color: options.thresholds?.[0]?.color ?? "#b91c1c",
                        },
                      ],
              })
            }
          />
          <input
            type="color"
            aria-label="Threshold colour"
            value={options.thresholds?.[0]?.color ?? "#b91c1c"}
            onChange={(e) =>
              onChange({
                thresholds: [{ value: options.thresholds?.[0]?.value ?? 0, color: e.target.value }],
              })
            }
          />
        </label>
      )}
      {type === "bar" && (
        <label className="inline-field">
          Axis from
          <input
            type="number"
            aria-label="Axis minimum"
            value={options.axis?.min ?? ""}
            onChange={(e) =>
              onChange({
                axis: {
                  ...options.axis,
                  min: e.target.value === "" ? undefined : Number(e.target.value),
                },
              })
            }
          />
          to
          <input
            type="number"
            aria-label="Axis maximum"
            value={options.axis?.max ?? ""}
            onChange={(e) =>
              onChange({
                axis: {
                  ...options.axis,
                  max: e.target.value === "" ? undefined : Number(e.target.value),
                },
              })
            }
          />
        </label>
      )}
      {colorable && (
        <fieldset className="inline-field">
          <legend className="visually-hidden">Colours</legend>
          Colours
          {[0, 1, 2].map((i) => (
            <input
              key={i}
              type="color"
              aria-label={`Colour ${i + 1}`}
              value={options.colors?.[i] ?? ["#4f46e5", "#0e7490", "#c2410c"][i]}
              onChange={(e) => {
                const colors = [...(options.colors ?? ["#4f46e5", "#0e7490", "#c2410c"])];
                colors[i] = e.target.value;
                onChange({ colors });
              }}
            />
          ))}
          {options.colors && (
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => onChange({ colors: undefined })}
            >
              Theme colours
            </button>
          )}
        </fieldset>
      )}
    </fieldset>
  );
}
