interface KpiCardProps {
  label: string;
  /** undefined while loading; the number element (and its test id) only exists once real. */
  value: number | undefined;
  testId: string;
}

export function KpiCard({ label, value, testId }: KpiCardProps) {
  return (
    <section className="card kpi" aria-label={label}>
      <h2 className="kpi-label">{label}</h2>
      {value === undefined ? (
        <span className="kpi-value kpi-placeholder" aria-hidden="true">
          —
        </span>
      ) : (
        <span className="kpi-value" data-testid={testId} data-value={value}>
          {value.toLocaleString()}
        </span>
      )}
    </section>
  );
}
