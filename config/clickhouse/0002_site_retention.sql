-- Per-site retention overrides. A site without a row keeps raw events 13 months and rollups
-- 60 months (the defaults in the TTL expressions). The dictionary lets TTLs read the overrides;
-- `sightline retention` writes a row, reloads the dictionary and re-applies the TTLs.
CREATE TABLE IF NOT EXISTS sightline.site_retention
(
    site_id       String,
    raw_months    UInt16,
    rollup_months UInt16,
    updated_at    DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY site_id;

CREATE DICTIONARY IF NOT EXISTS sightline.site_retention_dict
(
    site_id       String,
    raw_months    UInt16 DEFAULT 13,
    rollup_months UInt16 DEFAULT 60
)
PRIMARY KEY site_id
SOURCE(CLICKHOUSE(QUERY 'SELECT site_id, argMax(raw_months, updated_at) AS raw_months, argMax(rollup_months, updated_at) AS rollup_months FROM sightline.site_retention GROUP BY site_id'))
LIFETIME(MIN 300 MAX 600)
LAYOUT(COMPLEX_KEY_HASHED());
