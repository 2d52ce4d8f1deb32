import { DATABASE } from "@sightline/config";
import type { Filter } from "../schemas/query.ts";
import type { Params } from "./params.ts";

/** What every report counts: its sites, with or without bots, under its filters. */
export interface Scope {
  sites: readonly string[];
  includeBots?: boolean;
  filters?: readonly Filter[];
}

/** Human traffic, or humans and bots: shippers route bots to bot_events, and events_with_bots is a Merge table over both. */
export function eventsTable(includeBots: boolean | undefined): string {
  return `${DATABASE}.${includeBots ? "events_with_bots" : "events"}`;
}

/**
 * The one place that says which rows are bots: the collector flags them with is_bot, and the
 * shippers route them to bot_events (see eventsTable). Rows inserted straight into events still
 * carry the flag, so human reports check it too.
 */
export function botCondition(includeBots: boolean | undefined): string {
  return includeBots ? "1" : "is_bot = 0";
}

/** The scope's sites (and bots) as a condition. */
export function scopeCondition(scope: Scope, params: Params): string {
  return `site_id IN ${params.sites(scope.sites)} AND ${botCondition(scope.includeBots)}`;
}
