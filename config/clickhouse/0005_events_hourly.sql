-- Hourly rollup of human traffic that the overview reports read. Every measure is a uniqExact
-- state, so a duplicate delivery or a repeated rebuild only unions sets and never changes a count.
CREATE TABLE IF NOT EXISTS sightline.events_hourly
(
    site_id  LowCardinality(String),
    hour     DateTime('UTC') CODEC(Delta, ZSTD(1)),
    name     LowCardinality(String),
    events   AggregateFunction(uniqExact, String),
    visitors AggregateFunction(uniqExact, String),
    sessions AggregateFunction(uniqExact, String)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (site_id, hour, name)
TTL hour + toIntervalMonth(dictGetOrDefault('sightline.site_retention_dict', 'rollup_months', tuple(site_id), toUInt16(60)))
SETTINGS old_parts_lifetime = 30, allow_suspicious_ttl_expressions = 1;
