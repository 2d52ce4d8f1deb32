import type { paths } from "./schema.d.ts";

// The API's shapes, taken from the types generated out of the backend's OpenAPI document
// (schema.d.ts; regenerate with `pnpm --filter @sightline/frontend gen:api`), never copied by hand.

type Json<T> = T extends { content: { "application/json": infer B } } ? B : never;
type Op<P extends keyof paths, M extends "get" | "post" | "put" | "patch"> = NonNullable<
  paths[P][M]
>;
/** A route's JSON body. */
export type BodyOf<P extends keyof paths, M extends "post" | "put" | "patch" = "post"> = Json<
  NonNullable<Op<P, M> extends { requestBody?: infer R } ? R : never>
>;
/** A route's 200 (or 201) JSON answer. */
export type ResultOf<P extends keyof paths, M extends "get" | "post" | "put" | "patch" = "post"> =
  Op<P, M> extends { responses: infer R }
    ? R extends { 200: infer OK }
      ? Json<OK>
      : R extends { 201: infer Created }
        ? Json<Created>
        : never
    : never;

export type User = ResultOf<"/api/v1/me", "get">;
export type Role = User["role"];
export type AuthStatus = ResultOf<"/api/v1/auth/status", "get">;
export type AuthMethods = ResultOf<"/api/v1/auth/methods", "get">;
export type AuthResponse = ResultOf<"/api/v1/auth/login">;
export type SitesResponse = ResultOf<"/api/v1/sites", "get">;
export type Site = SitesResponse["sites"][number];
export type NewSite = BodyOf<"/api/v1/sites">;
export type SiteStatus = ResultOf<"/api/v1/sites/{id}/status", "get">;

export type OpenedShare = ResultOf<"/api/v1/shared/open">;
export type ApiToken = ResultOf<"/api/v1/tokens", "get">["tokens"][number];
export type NewApiToken = BodyOf<"/api/v1/tokens">;
export type TokenCreated = ResultOf<"/api/v1/tokens">;
export type ShareLink = ResultOf<"/api/v1/shares", "get">["shares"][number];
export type NewShareLink = BodyOf<"/api/v1/shares">;
export type ShareCreated = ResultOf<"/api/v1/shares">;

export type QuerySpec = BodyOf<"/api/v1/query">;
export type QueryResult = ResultOf<"/api/v1/query">;
export type Row = QueryResult["rows"][number];
export type Cell = Row[string];
export type ApiMetric = QuerySpec["metrics"][number];
/** One condition of a spec's filters (the API also takes and/or groups; the dashboard ANDs). */
export type ApiFilter = Extract<NonNullable<QuerySpec["filters"]>[number], { dimension: string }>;

export type Realtime = ResultOf<"/api/v1/reports/realtime">;
export type PropertyKeys = ResultOf<"/api/v1/reports/properties">;
export type FunnelResult = ResultOf<"/api/v1/reports/funnel">;
export type RetentionResult = ResultOf<"/api/v1/reports/retention">;
export type JourneysResult = ResultOf<"/api/v1/reports/journeys">;
export type ErrorsResult = ResultOf<"/api/v1/reports/errors">;
export type ErrorGroup = ErrorsResult["errors"][number];
export type TriageState = ErrorGroup["state"];
export type VitalsResult = ResultOf<"/api/v1/reports/web-vitals">;

/** The backend's error body: `message` is the text meant for people. */
export type ApiErrorBody = Partial<
  Json<NonNullable<Op<"/api/v1/query", "post">["responses"][400]>>
>;
