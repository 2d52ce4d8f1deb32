-- Fills visitor_slots from the events stored before its view existed (0010 comes first, so every
-- event is seen by the view or by this). Running it again, or over events the view already saw,
-- changes nothing: every column merges idempotently. The grouping spills to disk past 1 GB, so a
-- long history needs no more memory than that; it takes a while on large installs.
INSERT INTO sightline.visitor_slots
SELECT
    site_id,
    visitor_id,
    toStartOfInterval(ts, toIntervalMinute(30)) AS slot,
    min(ts) AS first_ts,
    max(ts) AS last_ts,
    groupUniqArrayIf(sipHash64(event_id), name = 'pageview') AS pageviews
FROM sightline.events
WHERE is_bot = 0
GROUP BY site_id, visitor_id, slot
SETTINGS max_bytes_before_external_group_by = 1000000000;
