-- Bot traffic (is_bot = 1) lives apart from human traffic: same columns and sort key, so the
-- human table and its rollups stay small. Shippers route rows by is_bot.
CREATE TABLE IF NOT EXISTS sightline.bot_events AS sightline.events
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (site_id, toDate(ts), name, event_id)
TTL toDateTime(ts) + toIntervalMonth(dictGetOrDefault('sightline.site_retention_dict', 'raw_months', tuple(site_id), toUInt16(13)))
SETTINGS non_replicated_deduplication_window = 10000, old_parts_lifetime = 30, allow_suspicious_ttl_expressions = 1;
