-- Hourly rollups of human traffic for the standard reports, written by the materializer from raw
-- events with each event id counted once (src/storage/rollups.ts defines their keys and measures;
-- a test checks it against these tables). events and pageviews are exact counts; visitors are
-- uniqCombined64 states of the visitor hash. A rebuilt hour replaces its rows (ReplacingMergeTree by
-- version; reads use FINAL), so a rebuild never doubles a count.

CREATE TABLE IF NOT EXISTS sightline.rollup_hourly
(
    site_id   LowCardinality(String),
    hour      DateTime('UTC') CODEC(Delta, ZSTD(1)),
    events    UInt64,
    pageviews UInt64,
    visitors  AggregateFunction(uniqCombined64, UInt64),
    version   UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(hour)
ORDER BY (site_id, hour)
TTL hour + toIntervalMonth(dictGetOrDefault('sightline.site_retention_dict', 'rollup_months', tuple(site_id), toUInt16(60)))
SETTINGS old_parts_lifetime = 30, allow_suspicious_ttl_expressions = 1;

CREATE TABLE IF NOT EXISTS sightline.rollup_events
(
    site_id  LowCardinality(String),
    hour     DateTime('UTC') CODEC(Delta, ZSTD(1)),
    name     LowCardinality(String),
    events   UInt64,
    visitors AggregateFunction(uniqCombined64, UInt64),
    version  UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(hour)
ORDER BY (site_id, hour, name)
TTL hour + toIntervalMonth(dictGetOrDefault('sightline.site_retention_dict', 'rollup_months', tuple(site_id), toUInt16(60)))
SETTINGS old_parts_lifetime = 30, allow_suspicious_ttl_expressions = 1;

CREATE TABLE IF NOT EXISTS sightline.rollup_geo
(
    site_id   LowCardinality(String),
    hour      DateTime('UTC') CODEC(Delta, ZSTD(1)),
    country   FixedString(2),
    region    LowCardinality(String),
    city      LowCardinality(String),
    events    UInt64,
    pageviews UInt64,
    visitors  AggregateFunction(uniqCombined64, UInt64),
    version   UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(hour)
ORDER BY (site_id, hour, country, region, city)
TTL hour + toIntervalMonth(dictGetOrDefault('sightline.site_retention_dict', 'rollup_months', tuple(site_id), toUInt16(60)))
SETTINGS old_parts_lifetime = 30, allow_suspicious_ttl_expressions = 1;

CREATE TABLE IF NOT EXISTS sightline.rollup_devices
(
    site_id         LowCardinality(String),
    hour            DateTime('UTC') CODEC(Delta, ZSTD(1)),
    browser         LowCardinality(String),
    browser_version LowCardinality(String),
    os              LowCardinality(String),
    os_version      LowCardinality(String),
    device          LowCardinality(String),
    language        LowCardinality(String),
    events          UInt64,
    pageviews       UInt64,
    visitors        AggregateFunction(uniqCombined64, UInt64),
    version         UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(hour)
ORDER BY (site_id, hour, browser, browser_version, os, os_version, device, language)
TTL hour + toIntervalMonth(dictGetOrDefault('sightline.site_retention_dict', 'rollup_months', tuple(site_id), toUInt16(60)))
SETTINGS old_parts_lifetime = 30, allow_suspicious_ttl_expressions = 1;

CREATE TABLE IF NOT EXISTS sightline.rollup_sources
(
    site_id         LowCardinality(String),
    hour            DateTime('UTC') CODEC(Delta, ZSTD(1)),
    channel         LowCardinality(String),
    referrer_domain LowCardinality(String),
    referrer        String CODEC(ZSTD(1)),
    utm_source      LowCardinality(String),
    utm_medium      LowCardinality(String),
    utm_campaign    LowCardinality(String),
    utm_term        String,
    utm_content     String,
    events          UInt64,
    pageviews       UInt64,
    visitors        AggregateFunction(uniqCombined64, UInt64),
    version         UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(hour)
ORDER BY (site_id, hour, channel, referrer_domain, referrer, utm_source, utm_medium, utm_campaign, utm_term, utm_content)
TTL hour + toIntervalMonth(dictGetOrDefault('sightline.site_retention_dict', 'rollup_months', tuple(site_id), toUInt16(60)))
SETTINGS old_parts_lifetime = 30, allow_suspicious_ttl_expressions = 1;

CREATE TABLE IF NOT EXISTS sightline.rollup_pages
(
    site_id      LowCardinality(String),
    hour         DateTime('UTC') CODEC(Delta, ZSTD(1)),
    hostname     LowCardinality(String),
    pathname     String CODEC(ZSTD(1)),
    events       UInt64,
    pageviews    UInt64,
    visitors     AggregateFunction(uniqCombined64, UInt64),
    pv_visitors  AggregateFunction(uniqCombined64, UInt64),
    engagements  UInt64,
    engaged_ms   UInt64,
    scroll_depth UInt64,
    version      UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(hour)
ORDER BY (site_id, hour, hostname, pathname)
TTL hour + toIntervalMonth(dictGetOrDefault('sightline.site_retention_dict', 'rollup_months', tuple(site_id), toUInt16(60)))
SETTINGS old_parts_lifetime = 30, allow_suspicious_ttl_expressions = 1;
