-- Raw-event retention: 13 months unless the site has an override in site_retention.
-- The TTL reads a dictionary, which ClickHouse calls "suspicious" because the value may change;
-- that is the point here, and `sightline retention` re-materializes the TTL after a change.
ALTER TABLE sightline.events
    MODIFY TTL toDateTime(ts) + toIntervalMonth(dictGetOrDefault('sightline.site_retention_dict', 'raw_months', tuple(site_id), toUInt16(13)))
SETTINGS allow_suspicious_ttl_expressions = 1;
