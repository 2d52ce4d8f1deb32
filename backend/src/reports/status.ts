import { Params } from "../query/params.ts";
import { type Reader, readReport } from "../query/read.ts";
import { botCondition, EVENTS_HOURLY, RAW_EVENTS } from "../query/source.ts";
import { instantSql } from "../query/time.ts";
import type { SiteStatus } from "../schemas/sites.ts";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** `2026-03-01 12:34:56.789` (the database's UTC text) → `2026-03-01T12:34:56.789Z`. */
const iso = (text: string | null | undefined): string | null =>
  text ? new Date(`${text.replace(" ", "T")}Z`).toISOString() : null;

/**
 * Whether a site has data yet, for the dashboard's empty state and its "all time" range: the
 * first and last human event, and events of the last 24 hours with bots counted apart (so a site
 * that so far got only automated traffic can say so). Polled every few seconds while a new site
 * waits, so it stays cheap: the hourly rollup finds the first and last hour with human events,
 * and raw rows are read only in those two hours (for the exact times) and in the last 24 hours.
 */
export async function siteStatus(ch: Reader, site: string, now: number): Promise<SiteStatus> {
  const hourly = new Params();
  const [hours] = await readReport<{ first: string | null; last: string | null }>(
    ch,
    // The rollup holds human traffic only; its `ts` is the hour.
    `SELECT minOrNull(ts) AS first, maxOrNull(ts) AS last
FROM ${EVENTS_HOURLY.table(false)} WHERE site_id = ${hourly.bind(site, "String")}`,
    hourly.values,
  );
  const ms = (text: string | null | undefined) => (text ? Date.parse(iso(text) ?? "") : null);
  const firstHour = ms(hours?.first);
  const lastHour = ms(hours?.last);

  const params = new Params();
  const since = instantSql(now - DAY_MS, params);
  const within = (start: number) =>
    `(ts >= ${instantSql(start, params)} AND ts < ${instantSql(start + HOUR_MS, params)})`;
  const human = botCondition(false);
  // The first hour's rows give the exact first time; the last hour's and the last day's the last
  // (the day also catches rows the rollup has not seen, should its view have fallen behind).
  const firstIf = firstHour === null ? human : `${human} AND ${within(firstHour)}`;
  const windows = [
    ...(firstHour === null ? [] : [within(firstHour)]),
    ...(lastHour === null ? [] : [within(lastHour)]),
    `ts >= ${since}`,
  ];
  const [raw] = await readReport<{
    first: string | null;
    last: string | null;
    events: number | string;
    bots: number | string;
  }>(
    ch,
    `SELECT minOrNullIf(ts, ${firstIf}) AS first, maxOrNullIf(ts, ${human}) AS last,
  uniqExactIf(event_id, ${human} AND ts >= ${since}) AS events,
  uniqExactIf(event_id, NOT (${human}) AND ts >= ${since}) AS bots
FROM ${RAW_EVENTS.table(true)}
WHERE site_id = ${params.bind(site, "String")} AND (${windows.join(" OR ")})`,
    params.values,
  );
  const hourText = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    // Raw rows of the first hour may be gone (raw events are kept for less time than rollups).
    firstEventAt: iso(raw?.first) ?? hourText(firstHour),
    lastEventAt: iso(raw?.last) ?? hourText(lastHour),
    events24h: Number(raw?.events ?? 0),
    botEvents24h: Number(raw?.bots ?? 0),
  };
}
