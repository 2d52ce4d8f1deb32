-- Each visitor's activity per half hour, which the overview's session metrics read instead of every
-- event. No gap inside one half hour can exceed the 30-minute session timeout, so a session is a run
-- of a visitor's slots where each starts at most 30 minutes after the previous one's last event:
-- the same sessions the raw events give. Every column merges idempotently (min, max, set union), so
-- a view that fired twice or a repeated rebuild changes nothing. Pageview ids are kept as 64-bit
-- hashes, so a duplicate delivery of one pageview counts once per session.
CREATE TABLE IF NOT EXISTS sightline.visitor_slots
(
    site_id    LowCardinality(String),
    visitor_id String,
    slot       DateTime('UTC') CODEC(Delta, ZSTD(1)),
    first_ts   SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    last_ts    SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    pageviews  SimpleAggregateFunction(groupUniqArrayArray, Array(UInt64))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(slot)
ORDER BY (site_id, visitor_id, slot)
TTL slot + toIntervalMonth(dictGetOrDefault('sightline.site_retention_dict', 'rollup_months', tuple(site_id), toUInt16(60)))
SETTINGS old_parts_lifetime = 30, allow_suspicious_ttl_expressions = 1;
