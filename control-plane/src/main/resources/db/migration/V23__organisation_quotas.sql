-- Per-organisation storage quota (issue 23): the most artifact bytes an organisation's rows may add up to.
-- NULL: no quota (only serve --max-artifact-size bounds each upload).
ALTER TABLE organisations ADD COLUMN quota_bytes BIGINT;
