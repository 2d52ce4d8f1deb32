// The images' HEALTHCHECK: GET a health endpoint of the process in this container.
//   node healthcheck.mjs /readyz      (the backend: ClickHouse, spool and shipper)
//   node healthcheck.mjs /healthz     (the collector: up, and its last spool write worked)
const path = process.argv[2] ?? "/healthz";
const port = process.env.SIGHTLINE_SERVER_PORT || "8080";
try {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2500) });
  process.exit(res.ok ? 0 : 1);
} catch {
  process.exit(1);
}
