-- Feeds visitor_slots from every insert into events. Like events_hourly_mv it can fall behind its
-- source after a crash; `sightline rollups check|rebuild` and the shipper's restart repair cover it.
CREATE MATERIALIZED VIEW IF NOT EXISTS sightline.visitor_slots_mv TO sightline.visitor_slots AS
SELECT
    site_id,
    visitor_id,
    toStartOfInterval(ts, toIntervalMinute(30)) AS slot,
    min(ts) AS first_ts,
    max(ts) AS last_ts,
    groupUniqArrayIf(sipHash64(event_id), name = 'pageview') AS pageviews
FROM sightline.events
WHERE is_bot = 0
GROUP BY site_id, visitor_id, slot;
