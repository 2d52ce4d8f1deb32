/**
 * Rules the tracker shares with the collector and the reports, defined once. The tracker bundles
 * what it uses; the backend imports them from here (`@sightline/tracker/rules`).
 */

/**
 * 30 minutes without an event end a visit. The tracker starts a new session id after it, and the
 * reports split a visitor's events into sessions at gaps longer than it.
 */
export const SESSION_TIMEOUT_MS = 30 * 60 * 1000;
