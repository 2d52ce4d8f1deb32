import { errors } from "../errors.ts";
import { baseCondition, fromClause } from "../query/compile.ts";
import { compileFilters } from "../query/filters.ts";
import { Params } from "../query/params.ts";
import { type Reader, readReport } from "../query/read.ts";
import { chooseSource } from "../query/source.ts";
import { resolveRange } from "../query/time.ts";
import type { ErrorsBody, ErrorsResult, TriageState } from "../schemas/reports.ts";

/** The triage states the backend keeps, by site and fingerprint; absent means unresolved. */
export interface TriageLookup {
  triagedErrors(
    sites: readonly string[],
  ): { site: string; fingerprint: string; state: TriageState }[];
}

interface ErrorRow {
  site: string;
  fingerprint: string;
  message: string;
  type: string;
  source: string;
  occurrences: number | string;
  visitors: number | string;
  first_seen: string;
  last_seen: string;
}

/** `error` events grouped by stack fingerprint per site, with their triage state. */
export async function errorGroups(
  ch: Reader,
  triage: TriageLookup,
  body: ErrorsBody,
): Promise<ErrorsResult> {
  const range = resolveRange(body);
  const params = new Params(range.tz);
  const filters = compileFilters(body.filters, params);
  if (filters.session) {
    // Entry and exit pages describe visits, not errors.
    throw errors.badRequest("body/filters: entry_page and exit_page do not apply to errors");
  }
  const source = chooseSource({
    columns: new Set(["props", ...filters.columns]),
    sessions: false,
    exactTime: false,
  });
  const states = new Map(
    triage.triagedErrors(body.sites).map((t) => [`${t.site}|${t.fingerprint}`, t.state]),
  );
  const key = "concat(site_id, '|', props['fp'])";
  let stateCondition = "1";
  if (body.state) {
    const keys = [...states].filter(([, s]) => s === body.state).map(([k]) => k);
    const triaged = [...states.keys()];
    stateCondition =
      body.state === "unresolved"
        ? `${key} NOT IN ${params.bind(triaged, "Array(String)")}`
        : `${key} IN ${params.bind(keys, "Array(String)")}`;
  }
  const sql = `SELECT site_id AS site, props['fp'] AS fingerprint,
    argMax(props['message'], ts) AS message, argMax(props['type'], ts) AS type,
    argMax(props['source'], ts) AS source,
    uniqExact(event_id) AS occurrences, uniqExact(visitor_id) AS visitors,
    formatDateTime(min(ts), '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC') AS first_seen,
    formatDateTime(max(ts), '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC') AS last_seen
FROM ${fromClause(source, body.includeBots, false)}
WHERE ${baseCondition(body, range, params)} AND name = 'error' AND ${filters.sql} AND ${stateCondition}
GROUP BY site, fingerprint
ORDER BY occurrences DESC, last_seen DESC, site, fingerprint
LIMIT ${params.bind(body.limit ?? 100, "UInt32")}`;
  const rows = await readReport<ErrorRow>(ch, sql, params.values);
  return {
    from: range.from,
    to: range.to,
    tz: range.tz,
    errors: rows.map((r) => ({
      ...r,
      occurrences: Number(r.occurrences),
      visitors: Number(r.visitors),
      state: states.get(`${r.site}|${r.fingerprint}`) ?? "unresolved",
    })),
  };
}
