export { type Channel, channelOf, sameSite } from "./channel.ts";
export {
  type CollectDeps,
  type CollectInput,
  type CollectResult,
  collect,
  type RejectCounts,
} from "./collect.ts";
export { COLUMNS, type ColumnName } from "./columns.ts";
export { jsonDepth } from "./depth.ts";
export { cleanGeo, type GeoInfo, type GeoLookup, NO_GEO } from "./geo.ts";
export {
  cookielessVisitorId,
  type HmacHex,
  hashIp,
  hmacHex,
  type SaltStore,
  utcDay,
} from "./hash.ts";
export { LIMITS } from "./limits.ts";
export {
  BOT_LINE_MARKER,
  BOT_LINE_MARKER_TEXT,
  isBotLine,
  jsonString,
  ndjsonLines,
} from "./ndjson.ts";
export { EVENT_COLUMNS, type EventRow, emptyRow, formatTimestamp } from "./row.ts";
export { eventRowSchema } from "./row-schema.ts";
export { looksLikeEmail, scrubText } from "./scrub.ts";
export { originAllowed, type SiteDirectory, type SiteInfo } from "./sites.ts";
export { KEPT_QUERY_KEYS } from "./url.ts";
export { type ClientHints, type DeviceInfo, isBotUserAgent, parseUserAgent } from "./useragent.ts";
