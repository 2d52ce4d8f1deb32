// Response shapes of the backend's /api/v1 routes used by the dashboard.

export type Role = "admin" | "viewer";

export interface User {
  email: string;
  role: Role;
}

export interface AuthStatus {
  setupRequired: boolean;
}

export interface AuthResponse {
  token: string;
  user: User;
}

export interface Site {
  id: string;
  name: string;
  domains: string[];
  /** IANA zone the site's reports use; sites created before zones existed read as UTC. */
  timezone?: string;
}

export interface SitesResponse {
  sites: Site[];
}

export interface SiteStatus {
  firstEventAt: string | null;
  lastEventAt: string | null;
  events24h: number;
  botEvents24h: number;
}

export type Cell = string | number | null;
export type Row = Record<string, Cell>;

export interface QueryResult {
  from: string;
  to: string;
  tz: string;
  columns: { name: string; kind: "time" | "dimension" | "metric" }[];
  rows: Row[];
  comparison?: { from: string; to: string; rows: Row[] };
}

export type ApiFilter = { dimension: string; op: string; value: string | string[] };

export type ApiMetric = string | { name: string; label?: string; [key: string]: unknown };

export interface QuerySpec {
  sites: string[];
  from: string;
  to: string;
  tz: string;
  granularity?: string;
  metrics: ApiMetric[];
  dimensions?: string[];
  filters?: ApiFilter[];
  sort?: { by: string; dir?: "asc" | "desc" }[];
  limit?: number;
  compare?: string;
  includeBots?: boolean;
}

export interface Realtime {
  visitors: number;
  minutes: { time: string; visitors: number; pageviews: number }[];
  pages: { page: string; visitors: number }[];
  sources: { source: string; visitors: number }[];
}

export interface PropertyKeys {
  keys: { key: string; events: number; visitors: number }[];
}

export interface FunnelResult {
  steps: {
    name: string;
    visitors: number;
    conversion_rate: number;
    step_conversion_rate: number;
    drop_off: number;
  }[];
}

export interface RetentionResult {
  period: "day" | "week";
  cohorts: {
    cohort: string;
    visitors: number;
    retention: { period: number; visitors: number; rate: number }[];
  }[];
}

export interface JourneysResult {
  page: string;
  direction: "after" | "before";
  sessions: number;
  paths: { pages: string[]; sessions: number }[];
}

export type TriageState = "unresolved" | "resolved" | "ignored";

export interface ErrorGroup {
  site: string;
  fingerprint: string;
  message: string;
  type: string;
  source: string;
  occurrences: number;
  visitors: number;
  first_seen: string;
  last_seen: string;
  state: TriageState;
}

export interface ErrorsResult {
  errors: ErrorGroup[];
}

export interface VitalsResult {
  metrics: {
    metric: "LCP" | "INP" | "CLS" | "FCP" | "TTFB";
    samples: number;
    p50: number | null;
    p75: number | null;
    p95: number | null;
    good: number;
    needs_improvement: number;
    poor: number;
  }[];
}

/** The backend's error body: `message` is the text meant for people. */
export interface ApiErrorBody {
  statusCode?: number;
  code?: string;
  error?: string;
  message?: string;
}
