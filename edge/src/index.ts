export { type CollectDeps, type CollectInput, type CollectResult, collect } from "./collect.ts";
export { cookielessVisitorId, hashIp, hmacHex, type SaltStore, utcDay } from "./hash.ts";
export { LIMITS } from "./limits.ts";
export { EVENT_COLUMNS, type EventRow, formatTimestamp } from "./row.ts";
export { originAllowed, type SiteDirectory, type SiteInfo } from "./sites.ts";
export { parseUserAgent } from "./useragent.ts";
